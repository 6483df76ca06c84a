package dev.exifq.accounts;

/**
 * Whether a user may create API keys. Accounts only knows who the user is; what they may do is decided by
 * billing (their plan), which implements this, so accounts never depends on billing.
 */
public interface ApiKeyPolicy {
    /** @throws dev.exifq.platform.ApiException 403 when the user may not create API keys */
    void checkMayCreate(CurrentUser user);
}
