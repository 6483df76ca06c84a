package dev.exifq.cluster;

/** What one replica does ({@code exifq.role}); every role is the same image. */
public enum Role {
    /** The API and the job server: one node alone, or replicas that are all alike. */
    ALL,
    /** The API only: no JobRunr background server and no local workers; every accepted image waits in the queue. */
    API,
    /** The JobRunr background server and the management port; the public port answers every request 404. */
    WORKER;

    public boolean servesApi() {
        return this != WORKER;
    }

    public boolean runsJobs() {
        return this != API;
    }
}
