-- V4's update trigger ran its function, with both transition tables, after every update of images, so each image
-- paid for it twice (its claim and its result) though only the result can change duplicate candidates; a profile
-- of PostgreSQL under ingest put the trigger functions (these and image_hashes') at 8 % of its CPU. Updates now
-- fire a row trigger whose WHEN condition (V4's, row by row) is evaluated without calling any function: a claim,
-- a lease renewal or a retention sweep queues nothing. The function bumps the version once per transaction, so a
-- statement changing many processed rows writes the user's counter row once, as the statement trigger did.
-- Inserts (a COPY of a large library is one statement) and deletions keep their statement triggers.
drop trigger images_bump_update on images;

create function duplicates_bump_from_image_row() returns trigger language plpgsql as $$
begin
    insert into duplicate_library_versions as v (user_id, version) values (new.user_id, 1)
    on conflict (user_id) do update set version = v.version + 1
     where v.xmin::text::bigint <> txid_current() % 4294967296; -- not yet bumped by this transaction
    return null;
end $$;

create trigger images_bump_update after update on images
    for each row when ((new.status = 'processed' or old.status = 'processed')
                       and (new.status, new.checksum, new.filename, new.user_id)
                           is distinct from (old.status, old.checksum, old.filename, old.user_id))
    execute function duplicates_bump_from_image_row();
