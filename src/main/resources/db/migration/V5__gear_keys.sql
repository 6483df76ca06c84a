-- Matched catalogue keys of each image, so "how many of my images used this camera/lens" is an index lookup.
alter table images
    add column camera_key text,
    add column lens_slug  text;
create index images_user_camera on images (user_id, camera_key) where camera_key is not null;
create index images_user_lens on images (user_id, lens_slug) where lens_slug is not null;
