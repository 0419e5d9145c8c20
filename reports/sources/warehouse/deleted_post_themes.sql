-- marts.deleted_post_themes (models/marts/*/deleted_post_themes.sql): one source query per mart, read whole.
select * from marts.deleted_post_themes
