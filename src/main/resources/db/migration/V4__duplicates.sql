-- A per-user counter that changes whenever the set of a user's duplicate candidates may have changed: a hash
-- row written or removed, or a processed image's status, checksum or filename changed, or it was deleted.
-- GET /v1/duplicates computes a user's clusters once per (hash, max_distance, version) and reuses the result
-- for every page until the version moves. Statement-level triggers with transition tables, so a bulk load
-- bumps each user once per statement instead of once per row. No foreign key to users: deleting a user
-- cascades to images and fires these triggers while the user row is going away.
create table duplicate_library_versions (
    user_id bigint primary key,
    version bigint not null
);

create function duplicates_bump_from_hashes() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        insert into duplicate_library_versions as v (user_id, version)
        select distinct user_id, 1 from old_rows
        on conflict (user_id) do update set version = v.version + 1;
    else
        insert into duplicate_library_versions as v (user_id, version)
        select distinct user_id, 1 from new_rows
        on conflict (user_id) do update set version = v.version + 1;
    end if;
    return null;
end $$;

create trigger image_hashes_bump_insert after insert on image_hashes
    referencing new table as new_rows for each statement execute function duplicates_bump_from_hashes();
create trigger image_hashes_bump_update after update on image_hashes
    referencing new table as new_rows for each statement execute function duplicates_bump_from_hashes();
create trigger image_hashes_bump_delete after delete on image_hashes
    referencing old table as old_rows for each statement execute function duplicates_bump_from_hashes();

create function duplicates_bump_from_images() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into duplicate_library_versions as v (user_id, version)
        select distinct user_id, 1 from new_rows where status = 'processed'
        on conflict (user_id) do update set version = v.version + 1;
    elsif tg_op = 'DELETE' then
        insert into duplicate_library_versions as v (user_id, version)
        select distinct user_id, 1 from old_rows where status = 'processed'
        on conflict (user_id) do update set version = v.version + 1;
    else
        insert into duplicate_library_versions as v (user_id, version)
        select distinct n.user_id, 1
          from new_rows n join old_rows o on o.id = n.id
         where (n.status = 'processed' or o.status = 'processed')
           and (n.status, n.checksum, n.filename, n.user_id) is distinct from (o.status, o.checksum, o.filename, o.user_id)
        on conflict (user_id) do update set version = v.version + 1;
    end if;
    return null;
end $$;

create trigger images_bump_insert after insert on images
    referencing new table as new_rows for each statement execute function duplicates_bump_from_images();
create trigger images_bump_update after update on images
    referencing old table as old_rows new table as new_rows
    for each statement execute function duplicates_bump_from_images();
create trigger images_bump_delete after delete on images
    referencing old table as old_rows for each statement execute function duplicates_bump_from_images();
