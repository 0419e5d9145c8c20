{#-
  Engine-specific constructs of the tiktok_export / influence domain, each behind
  adapter.dispatch with a DuckDB `default__` implementation (a Spark port adds `spark__`).
  Kept deliberately short: regex, accents, timestamps, lists, the pseudonym key. (Exports reach
  dbt flattened by ingest: no JSON is parsed here.)
-#}

{#- First capture group `group` of an RE2 pattern, null when it does not match. -#}
{% macro regex_extract(expr, pattern, group=1) -%}
    {#- the same on DuckDB and Spark ('' when no match, hence the nullif) -#}
    nullif(regexp_extract({{ expr }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{#- True when an RE2 pattern matches anywhere in the text (null for null text). -#}
{% macro regex_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'tiktok_warehouse')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_matches(expr, pattern) -%}
    ({{ expr }} rlike '{{ pattern }}')
{%- endmacro %}

{#- Replace every match of an RE2 pattern. -#}
{% macro regex_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'tiktok_warehouse')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- All matches of capture group 1 of an RE2 pattern, as a list. -#}
{% macro regex_extract_list(expr, pattern) -%}
    {#- the same on DuckDB and Spark -#}
    regexp_extract_all({{ expr }}, '{{ pattern }}', 1)
{%- endmacro %}

{#- Text split on an RE2 pattern, as a list. -#}
{% macro regex_split_list(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_split_list', 'tiktok_warehouse')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_split_list(expr, pattern) -%}
    regexp_split_to_array({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{#- Accents folded (é -> e). -#}
{% macro fold_accents(expr) -%}
    {{ return(adapter.dispatch('fold_accents', 'tiktok_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__fold_accents(expr) -%}
    strip_accents({{ expr }})
{%- endmacro %}

{#- Export timestamps ('YYYY-MM-DD HH:MM:SS', optionally ' UTC') to a UTC timestamp; null if not one. -#}
{% macro parse_export_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_export_timestamp', 'tiktok_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__parse_export_timestamp(expr) -%}
    try_strptime(trim({{ expr }}), ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S UTC', '%Y-%m-%dT%H:%M:%SZ'])
{%- endmacro %}

{#- Creation time of a TikTok video id: the id shifted right by 32 bits is Unix seconds (UTC). -#}
{% macro video_id_created_at(video_id) -%}
    {{ return(adapter.dispatch('video_id_created_at', 'tiktok_warehouse')(video_id)) }}
{%- endmacro %}

{% macro default__video_id_created_at(video_id) -%}
    {{ dbt.dateadd('second', '(' ~ video_id ~ ' >> 32)', "cast('1970-01-01 00:00:00' as timestamp)") }}
{%- endmacro %}

{#- Whole Unix seconds of a UTC timestamp (bigint). -#}
{% macro unix_seconds(expr) -%}
    {{ return(adapter.dispatch('unix_seconds', 'tiktok_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__unix_seconds(expr) -%}
    cast(epoch({{ expr }}) as bigint)
{%- endmacro %}

{#- Each element of a list on its own row (use in a select list, one per select). -#}
{% macro unnest_list(list_expr) -%}
    {{ return(adapter.dispatch('unnest_list', 'tiktok_warehouse')(list_expr)) }}
{%- endmacro %}

{% macro default__unnest_list(list_expr) -%}
    unnest({{ list_expr }})
{%- endmacro %}

{#-
  Two select items: each element of a list on its own row (`value_alias`) and its 1-based
  position in the list (`position_alias`). Use once per select.
-#}
{% macro unnest_with_positions(list_expr, value_alias, position_alias) -%}
    {{ return(adapter.dispatch('unnest_with_positions', 'tiktok_warehouse')(list_expr, value_alias, position_alias)) }}
{%- endmacro %}

{% macro default__unnest_with_positions(list_expr, value_alias, position_alias) -%}
    {#- DuckDB zips equal-length unnests of one select -#}
    unnest({{ list_expr }}) as {{ value_alias }},
    unnest(generate_series(1, len({{ list_expr }}))) as {{ position_alias }}
{%- endmacro %}

{#-
  Keyed pseudonym of a third-party user name: sha256(key || ':' || lower(name)). The key is
  read at run time from <build_dir>/pseudonym.key (created by the pipeline, mode 600), so it
  never lands in compiled SQL. var keep_third_party_usernames=true keeps the clear name.
-#}
{% macro pseudonymise_user_name(expr) -%}
    {{ return(adapter.dispatch('pseudonymise_user_name', 'tiktok_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__pseudonymise_user_name(expr) -%}
    {%- if var('keep_third_party_usernames', false) | string | lower in ('true', '1', 'yes') -%}
        lower(trim({{ expr }}))
    {%- else -%}
        case
            when {{ expr }} is not null
                then sha256(
                    (
                        select trim(key_file.content)
                        from read_text('{{ build_root() | replace("'", "''") }}/pseudonym.key')
                            as key_file
                    ) || ':' || lower(trim({{ expr }}))
                )
        end
    {%- endif -%}
{%- endmacro %}

{#- The i-th (1-based) element of a list. -#}
{% macro list_element(list_expr, index) -%}
    {{ return(adapter.dispatch('list_element', 'tiktok_warehouse')(list_expr, index)) }}
{%- endmacro %}

{% macro default__list_element(list_expr, index) -%}
    {{ list_expr }}[{{ index }}]
{%- endmacro %}

{#- Number of elements of a list (0 for null). -#}
{% macro list_length(list_expr) -%}
    {{ return(adapter.dispatch('list_length', 'tiktok_warehouse')(list_expr)) }}
{%- endmacro %}

{% macro default__list_length(list_expr) -%}
    coalesce(len({{ list_expr }}), 0)
{%- endmacro %}

{#- ISO day of week of a timestamp: 1 = Monday .. 7 = Sunday. -#}
{% macro day_of_week(expr) -%}
    {{ return(adapter.dispatch('day_of_week', 'tiktok_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__day_of_week(expr) -%}
    isodow({{ expr }})
{%- endmacro %}


{#- Hour 0..23 of a timestamp. -#}
{% macro hour_of_day(expr) -%}
    hour({{ expr }})
{%- endmacro %}

{#- ------------------------------------------------------------------ Apache Spark
  Spark 4 SQL versions of the macros above. The spark target sets
  spark.sql.parser.escapedStringLiterals, so pattern literals reach the (Java) regex engine as
  written, like DuckDB's RE2: the patterns used here mean the same in both.
-#}

{% macro spark__regex_replace_all(expr, pattern, replacement) -%}
    {#- Java's group reference is $1 where RE2's is \1 -#}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ modules.re.sub('\\\\(\\d)', '$\\1', replacement) }}')
{%- endmacro %}

{% macro spark__regex_split_list(expr, pattern) -%}
    split({{ expr }}, '{{ pattern }}', -1)
{%- endmacro %}

{#- No strip_accents in Spark: the letters DuckDB's strip_accents folds to one letter (Latin,
    Greek, Cyrillic, ... up to U+1FFF) folded by table; tests/test_spark.py keeps the table equal
    to DuckDB's own folding. -#}
{% macro spark__fold_accents(expr) -%}
    {%- set accented = (
        'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆ' ~
        'ćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐő' ~
        'ŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛ' ~
        'ǜǞǟǠǡǢǣǦǧǨǩǪǫǬǭǮǯǰǴǵǸǹǺǻǼǽǾǿȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧ' ~
        'ȨȩȪȫȬȭȮȯȰȱȲȳʹΆΈΉΊΌΎΏΐΪΫάέήίΰϊϋόύώϓϔЀЁЃЇЌЍЎЙйѐёѓїќѝўѶѷӁӂӐӑӒӓӖ' ~
        'ӗӚӛӜӝӞӟӢӣӤӥӦӧӪӫӬӭӮӯӰӱӲӳӴӵӸӹآأؤإئۀۂۓऩऱऴक़ख़ग़ज़ड़ढ़फ़य़ড়ঢ়য়ਲ਼ਸ਼ਖ਼ਗ਼ਜ਼ਫ਼ଡ଼ଢ଼ஔགྷཌྷ' ~
        'དྷབྷཛྷཀྵဦᬆᬈᬊᬌᬎᬒḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰ' ~
        'ḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬ' ~
        'ṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậ' ~
        'ẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứ' ~
        'ỪừỬửỮữỰựỲỳỴỵỶỷỸỹἀἁἂἃἄἅἆἇἈἉἊἋἌἍἎἏἐἑἒἓἔἕἘἙἚἛἜἝἠἡἢἣἤἥἦἧἨἩἪἫἬἭἮἯ' ~
        'ἰἱἲἳἴἵἶἷἸἹἺἻἼἽἾἿὀὁὂὃὄὅὈὉὊὋὌὍὐὑὒὓὔὕὖὗὙὛὝὟὠὡὢὣὤὥὦὧὨὩὪὫὬὭὮὯὰάὲέ' ~
        'ὴήὶίὸόὺύὼώᾀᾁᾂᾃᾄᾅᾆᾇᾈᾉᾊᾋᾌᾍᾎᾏᾐᾑᾒᾓᾔᾕᾖᾗᾘᾙᾚᾛᾜᾝᾞᾟᾠᾡᾢᾣᾤᾥᾦᾧᾨᾩᾪᾫᾬᾭᾮᾯᾰᾱ' ~
        'ᾲᾳᾴᾶᾷᾸᾹᾺΆᾼιῂῃῄῆῇῈΈῊΉῌῐῑῒΐῖῗῘῙῚΊῠῡῢΰῤῥῦῧῨῩῪΎῬῲῳῴῶῷῸΌῺΏῼ'
    ) -%}
    {%- set folded = (
        'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaC' ~
        'cCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOo' ~
        'RrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuU' ~
        'uAaAaÆæGgKkOoOoƷʒjGgNnAaÆæØøAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAa' ~
        'EeOoOoOoOoYyʹΑΕΗΙΟΥΩιΙΥαεηιυιυουωϒϒЕЕГІКИУИиеегікиуѴѵЖжАаАаЕ' ~
        'еӘәЖжЗзИиИиОоӨөЭэУуУуУуЧчЫыااوايەہےनरळकखगजडढफयডঢযਲਸਖਗਜਫଡଢஒགཌ' ~
        'དབཛཀဥᬅᬇᬉᬋᬍᬑAaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiK' ~
        'kKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtT' ~
        'tTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyſAaAaAaAaAaAaAa' ~
        'AaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUu' ~
        'UuUuUuUuYyYyYyYyααααααααΑΑΑΑΑΑΑΑεεεεεεΕΕΕΕΕΕηηηηηηηηΗΗΗΗΗΗΗΗ' ~
        'ιιιιιιιιΙΙΙΙΙΙΙΙοοοοοοΟΟΟΟΟΟυυυυυυυυΥΥΥΥωωωωωωωωΩΩΩΩΩΩΩΩααεε' ~
        'ηηιιοουυωωααααααααΑΑΑΑΑΑΑΑηηηηηηηηΗΗΗΗΗΗΗΗωωωωωωωωΩΩΩΩΩΩΩΩαα' ~
        'αααααΑΑΑΑΑιηηηηηΕΕΗΗΗιιιιιιΙΙΙΙυυυυρρυυΥΥΥΥΡωωωωωΟΟΩΩΩ'
    ) -%}
    translate({{ expr }}, '{{ accented }}', '{{ folded }}')
{%- endmacro %}

{% macro spark__parse_export_timestamp(expr) -%}
    coalesce(
        try_to_timestamp(trim({{ expr }}), 'yyyy-MM-dd HH:mm:ss'),
        try_to_timestamp(trim({{ expr }}), "yyyy-MM-dd HH:mm:ss 'UTC'"),
        try_to_timestamp(trim({{ expr }}), "yyyy-MM-dd'T'HH:mm:ss'Z'")
    )
{%- endmacro %}

{% macro spark__video_id_created_at(video_id) -%}
    timestamp_seconds(shiftright({{ video_id }}, 32))
{%- endmacro %}

{% macro spark__unix_seconds(expr) -%}
    unix_seconds({{ expr }})
{%- endmacro %}

{% macro spark__unnest_list(list_expr) -%}
    explode({{ list_expr }})
{%- endmacro %}

{% macro spark__unnest_with_positions(list_expr, value_alias, position_alias) -%}
    {#- one generator per select in Spark: elements zipped with their position in a struct -#}
    inline(transform({{ list_expr }}, (element, i) -> struct(element, i + 1)))
        as ({{ value_alias }}, {{ position_alias }})
{%- endmacro %}

{% macro spark__pseudonymise_user_name(expr) -%}
    {%- if var('keep_third_party_usernames', false) | string | lower in ('true', '1', 'yes') -%}
        lower(trim({{ expr }}))
    {%- else -%}
        {#- the key file read at run time (one line), so the key never lands in compiled SQL -#}
        case
            when {{ expr }} is not null
                then sha2(
                    concat(
                        (
                            select max(trim(key_file.value))
                            from text.`{{ _spark_absolute(build_root() ~ '/pseudonym.key') }}` as key_file
                        ),
                        ':',
                        lower(trim({{ expr }}))
                    ),
                    256
                )
        end
    {%- endif -%}
{%- endmacro %}

{% macro spark__list_element(list_expr, index) -%}
    element_at({{ list_expr }}, {{ index }})
{%- endmacro %}

{% macro spark__list_length(list_expr) -%}
    coalesce(array_size({{ list_expr }}), 0)
{%- endmacro %}

{% macro spark__day_of_week(expr) -%}
    (weekday({{ expr }}) + 1)
{%- endmacro %}
