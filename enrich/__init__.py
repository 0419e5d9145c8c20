"""Enrichment: look up, on the network and only when asked, what a TikTok export only links to.

A real export holds links and timestamps: watch, like and favourite items are `{Date, Link}`,
posts carry no caption and no video id, favourite sounds only an id. `python -m enrich` reads
the video ids the last build staged (favourites, likes and shares first, then the most recent
watches), looks each one up with a backend (TikTok's public oEmbed endpoint by default, yt-dlp
optionally), remembers every answer in a persistent cache outside the build dir, and writes
`<TIKTOK_BUILD_DIR>/enrichment/video_metadata.csv` in the video-metadata contract. The next
`make build` reads that file beside the user's own video-metadata CSVs (a user row wins).

Only video ids leave the machine; the user's own handle only with an explicit flag (README).
"""
