-- Issue 19: images accepted while their node had no room share one JobRunr job per group (ProcessImagesJob)
-- instead of one job each. job_id names that group's job, so StaleImageSweeper can tell an image whose group is
-- still waiting (a backlog: left to it) from one whose group ended (given a job of its own). Null for an image
-- with no job or a job of its own (whose id is the image's). No index: only the sweeper reads it, by image.
alter table images add column job_id uuid;
