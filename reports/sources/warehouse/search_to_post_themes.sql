-- marts.search_to_post_themes (models/marts/*/search_to_post_themes.sql): one source query per mart, read whole.
select * from marts.search_to_post_themes
