{#-
  Each sound an account favourited, with the title it can be matched by. Real favourite-sound
  links carry the sound id only (https://m.tiktok.com/h5/share/music/<id>.html): the title comes
  from any video-metadata row with that sound_id (the video it was saved from, or a post that used
  it), the most frequent spelling first; the site's web links (/music/<Title>-<id>) name it
  themselves (title only, no artist). A favourite with neither has no title and cannot be
  matched to a post's `Sound`. Grain: one row per (account_id, favorite_sound_key).
-#}
with

favorite_sounds as (
    select * from {{ ref('stg_tiktok_export__favorite_sounds') }}
),

video_metadata as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

metadata_titles as (
    select
        sound_id,
        sound_title,
        count(*) as row_count
    from video_metadata
    where sound_id is not null and sound_title is not null
    group by sound_id, sound_title
),

sound_titles as (
    select
        sound_id,
        sound_title
    from (
        select
            *,
            row_number() over (partition by sound_id order by row_count desc, sound_title asc) as title_rank
        from metadata_titles
    ) as ranked
    where title_rank = 1
),

favorites as (
    select
        account_id,
        sound_id,
        min(sound_title) as link_title,
        min(favorited_at) as first_favorited_at,
        max(favorited_at) as last_favorited_at,
        count(*) as favorite_count
    from favorite_sounds
    -- an id names the sound; a link without one is kept by its title
    group by account_id, sound_id, case when sound_id is null then sound_title end
),

titled as (
    select
        favorites.*,
        coalesce(sound_titles.sound_title, favorites.link_title) as sound_title,
        case
            when sound_titles.sound_title is not null then 'video_metadata'
            when favorites.link_title is not null then 'link'
        end as title_source,
        -- a metadata title is `<title> - <artist>`; a link's slug is the title alone
        case
            when sound_titles.sound_title is not null then {{ post_sound_title('sound_titles.sound_title') }}
            else favorites.link_title
        end as title_part,
        case
            when sound_titles.sound_title is not null then {{ post_sound_artist('sound_titles.sound_title') }}
        end as artist_part
    from favorites
    left join sound_titles
        on favorites.sound_id = sound_titles.sound_id
),

final as (
    select
        ---------- ids
        account_id,
        coalesce(
            cast(sound_id as {{ dbt.type_string() }}),
            {{ dbt.concat(["'title:'", "coalesce(link_title, '')"]) }}
        ) as favorite_sound_key,
        sound_id,
        ---------- attributes
        sound_title,
        title_source,
        {{ sound_title_key('title_part') }} as title_key,
        {{ sound_artist_key('artist_part') }} as artist_key,
        {{ sound_title_key('title_part') }} is not null as has_title,
        favorite_count,
        ---------- timestamps
        first_favorited_at,
        last_favorited_at
    from titled
)

select * from final
