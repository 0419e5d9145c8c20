{#- The engagement measures of a claims video that the summary and correlation marts describe,
    in display order. One list, so the long and the wide shapes agree. -#}
{% macro claim_engagement_measures() -%}
    {{ return([
        'video_duration_sec', 'video_view_count', 'video_like_count', 'video_comment_count',
        'video_share_count', 'video_download_count', 'like_rate', 'comment_rate', 'share_rate',
        'download_rate', 'total_engagement_rate',
    ]) }}
{%- endmacro %}
