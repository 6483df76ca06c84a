-- Deleting an image (or an account) forgets the shared extraction-cache entry only when no image of anyone still
-- has those bytes: "not exists (select 1 from images where checksum = ?)". The (user_id, checksum) index could
-- not answer that without a scan of every image; (checksum, user_id) answers both that and the per-user lookups
-- (user_id = ? and checksum = ?), so it replaces it rather than adding a second index to every insert.
create index images_checksum_user on images (checksum, user_id);
drop index images_user_checksum;
