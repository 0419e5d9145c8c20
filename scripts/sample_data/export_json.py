"""The JSON export layouts v1, v2 and v3 of one account's history (layouts and quirks in
docs/sample_data.md)."""

from __future__ import annotations

import json

from .common import fmt_ts, win


def empty(style):
    return {"null": None, "[]": [], "{}": {}}[style]


def or_empty(lst, style="[]"):
    return lst if lst else empty(style)


def build_export(layout, acct, ev, export_t, start, watch_start, opts):
    """Build one export dict. opts: dict of list-name -> empty style to force, plus flags."""
    nulls = opts.get("empty", {})
    lk_lower = layout in ("v2", "v3")

    def L(name, value):
        return empty(nulls[name]) if name in nulls else value

    watch = []
    for t, link, _vid, _caption in win(ev["watch"], watch_start, export_t):
        # Real watch items carry Date and Link only: no title, no author.
        watch.append({"Date": fmt_ts(t), ("VideoLink" if opts.get("videolink") else "Link"): link})
    likes = [
        {"date" if lk_lower else "Date": fmt_ts(t), "link" if lk_lower else "Link": lnk}
        for t, lnk in win(ev["like"], start, export_t)
    ]
    if opts.get("like_cap"):
        # TikTok caps the like list (6,000 or 8,000 items): the newest ones, older likes are gone.
        likes = likes[: opts["like_cap"]]
    favvid = [{"Date": fmt_ts(t), "Link": lnk} for t, lnk in win(ev["favvid"], start, export_t)]
    # Favourites persist: every sound favourited before the export date is listed.
    favsound = [{"Date": fmt_ts(t), "Link": lnk} for t, _, lnk in ev["favsound"] if t < export_t]
    favtag = [{"Date": fmt_ts(t), "Link": lnk} for t, lnk in win(ev["favtag"], start, export_t)]
    effects = [{"Date": fmt_ts(t), "EffectLink": lnk} for t, lnk in win(ev["effect"], start, export_t)]
    searches = [{"Date": fmt_ts(t), "SearchTerm": s} for t, s in win(ev["search"], start, export_t)]
    shares = [
        {"Date": fmt_ts(t), "SharedContent": c, "Link": lnk, "Method": m}
        for t, c, lnk, m in win(ev["share"], start, export_t)
    ]
    following = [{"Date": fmt_ts(t), "UserName": u} for t, u in ev["following"] if t < export_t]
    followers = [{"Date": fmt_ts(t), "UserName": u} for t, u in ev["follower"] if t < export_t]
    posts_src = [p for p in ev["post"] if p["t"] < export_t]
    posts = []
    for p in posts_src:
        item = {
            "Date": fmt_ts(p["t"]),
            "Link": p["link"],
            "Likes": p["likes"],
            "WhoCanView": p["who"],
            "AllowComments": p["flags"][0],
            "AllowStitches": p["flags"][1],
            "AllowDuets": p["flags"][2],
            "AllowStickers": p["flags"][3],
            "AllowSharingToStory": p["flags"][4],
            "ContentDisclosure": p["disclosure"],
            "AIGeneratedContent": p["ai"],
            "Sound": p["sound"],
            "Location": p["location"],
            "Title": p["title"],
            "AddYoursText": p["addyours"],
            "AlternateText": p["alt"],
            "CoverImage": p["cover"],
        }
        if layout == "v3" and p["collections"] is not None:
            item["NumberOfCollections"] = p["collections"]
        posts.append(item)
    seen_tags = {}
    for p in posts_src:
        for tg in p["tags"]:
            name = tg[1:]
            seen_tags.setdefault(name.lower(), name)
    hashtags = [
        {"HashtagName": n, "HashtagLink": f"https://www.tiktok.com/tag/{n}"}
        for n in sorted(seen_tags.values(), key=str.lower)
    ]
    deleted = [
        {
            "Date": fmt_ts(p["t"]),
            "Link": p["link"],
            "Likes": p["likes"],
            "Sound": p["sound"],
            "Title": p["title"],
        }
        for p in ev["deleted"]
        if p["t"] < export_t
    ]
    comments = []
    for t, c, lnk in win(ev["comment"], start, export_t):
        if layout == "v3":
            comments.append(
                {
                    "date": fmt_ts(t) + " UTC",
                    "comment": c,
                    "photo": "N/A",
                    "video": "N/A",
                    "sticker": "N/A",
                    "originalPostUrl": lnk,
                }
            )
        else:
            comments.append({"date": fmt_ts(t), "comment": c, "photo": "N/A", "url": lnk})
    logins = [
        {"Date": fmt_ts(t), "IP": ip, "DeviceModel": dm, "DeviceSystem": ds, "NetworkType": nt, "Carrier": ca}
        for t, ip, dm, ds, nt, ca in win(ev["login"], start, export_t)
    ]
    status = [
        {
            "Resolution": "1170*2532",
            "App Version": "37.4.0",
            "IDFA": ev["idfa"],
            "GAID": ev["gaid"],
            "Android ID": ev["androidid"],
            "Network": "Wi-Fi",
        }
    ]
    chat = {
        f"Chat History with {ev['dm_partner']}:": [
            {"Date": fmt_ts(t), "From": f, "Content": c} for t, f, c in win(ev["dm"], start, export_t)
        ]
    }
    n_likes_recv = sum(int(p["likes"]) for p in posts_src)
    profile = {
        "userName": acct.handle,
        "bioDescription": ev["bio"],
        "likesReceived": opts.get("likes_received", str(n_likes_recv)),
        "birthDate": ev["birth"],
        "emailAddress": ev["email"],
        "telephoneNumber": ev["phone"],
        "profilePhoto": f"https://p16-sign.tiktokcdn.com/avatar/{acct.tag}.jpeg",
        "profileVideo": "None",
    }
    if layout == "v3":
        profile.update(
            {
                "displayName": acct.handle.split(".")[0].capitalize(),
                "followerCount": len(followers),
                "followingCount": len(following),
                "accountRegion": "US",
            }
        )
    shop = {
        "Current Payment Information": {"PayCard": L("PayCard", [{"CardNumber": ev["card"], "Type": "Visa"}])},
        "Order History": {"OrderHistories": L("OrderHistories", {})},
        "Saved Address Information": {
            "SaveAddress": [{"Name": acct.handle, "Address": ev["address"], "Phone": ev["phone"]}]
        },
        "Shopping Cart List": {"ShoppingCart": L("ShoppingCart", [])},
        "Product Browsing History": {"ProductBrowsingHistories": L("ProductBrowsing", None)},
    }
    live = {
        "Go Live History": {"GoLiveList": L("GoLiveList", None)},
        "Watch Live History": {"WatchLiveMap": L("WatchLiveMap", {})},
    }
    fo = {"App": 1, "IsFastLane": False}

    lists = {
        "watch": {"VideoList": L("VideoList", or_empty(watch))},
        "like": {"ItemFavoriteList": L("ItemFavoriteList", or_empty(likes))},
        "favvid": {"FavoriteVideoList": L("FavoriteVideoList", or_empty(favvid))},
        "favsound": {"FavoriteSoundList": L("FavoriteSoundList", or_empty(favsound))},
        "favtag": {"FavoriteHashtagList": L("FavoriteHashtagList", or_empty(favtag))},
        "effect": {"FavoriteEffectsList": L("FavoriteEffectsList", or_empty(effects))},
        "search": {"SearchList": L("SearchList", or_empty(searches))},
        "share": {"ShareHistoryList": L("ShareHistoryList", or_empty(shares))},
        "following": {**fo, "Following": L("Following", or_empty(following))},
        "follower": {**fo, "FansList": L("FansList", or_empty(followers))},
        "hashtag": {"HashtagList": L("HashtagList", or_empty(hashtags))},
        "login": {"LoginHistoryList": L("LoginHistoryList", logins)},
        "status": {"Status List": status},
        "posts": {"VideoList": L("PostVideoList", or_empty(posts))},
        "deleted": {"PostList": L("PostList", or_empty(deleted))},
        "comments": {"CommentsList": L("CommentsList", or_empty(comments))},
        "profile": {"ProfileMap": profile},
        "autofill": ev["autofill"],
        "chat": {"ChatHistory": chat},
    }
    settings = {
        "Settings": {
            "SettingsMap": {"Allow DownLoad": "On", "Private Account": "Off", "Interests": "N/A", "Language": "en"}
        },
        "Block List": {"BlockList": L("BlockList", None)},
    }
    if layout == "v1":
        return {
            "Activity": {
                "Favorite Effects": lists["effect"],
                "Favorite Hashtags": lists["favtag"],
                "Favorite Sounds": lists["favsound"],
                "Favorite Videos": lists["favvid"],
                "Follower List": lists["follower"],
                "Following List": lists["following"],
                "Hashtag": lists["hashtag"],
                "Like List": lists["like"],
                "Login History": lists["login"],
                "Search History": lists["search"],
                "Share History": lists["share"],
                "Status": lists["status"],
                "Video Browsing History": lists["watch"],
            },
            "App Settings": settings,
            "Comment": {"Comments": lists["comments"]},
            "Direct Messages": {"Chat History": lists["chat"]},
            "Profile": {"Profile Information": lists["profile"], "Autofill": lists["autofill"]},
            "Tiktok Live": live,
            "Video": {"Videos": lists["posts"]},
            "TikTok Shopping": shop,
        }
    activity = {
        "Favorite Effects": lists["effect"],
        "Favorite Hashtags": lists["favtag"],
        "Favorite Sounds": lists["favsound"],
        "Favorite Videos": lists["favvid"],
        "Follower": lists["follower"],
        "Following": lists["following"],
        "Hashtag": lists["hashtag"],
        "Like List": lists["like"],
        "Login History": lists["login"],
        "Searches": lists["search"],
        "Share History": lists["share"],
        "Status": lists["status"],
        "Watch History": lists["watch"],
    }
    wallet = {"TransactionsList": L("TransactionsList", None)}
    location = {"LocationReviewsList": L("LocationReviewsList", None)}
    post = {"Posts": lists["posts"], "Recently Deleted Posts": lists["deleted"]}
    if layout == "v2":
        return {
            "Ads and data": {
                "Ad Interests": {"AdInterestCategories": "Food & Drink|Travel"},
                "Off TikTok Activity": {"OffTikTokActivityDataList": L("OffTikTok", None)},
            },
            "App Settings": settings,
            "Comment": {"Comments": lists["comments"]},
            "Direct Message": {"Direct Messages": lists["chat"]},
            "Income Plus Wallet Transactions": wallet,
            "Location Review": location,
            "Post": post,
            "Profile": {"Profile Info": lists["profile"], "Autofill": lists["autofill"]},
            "TikTok Shop": shop,
            "Tiktok Live": live,
            "Your Activity": activity,
        }
    # v3: likes/favourites move to their own section, social graph to Profile And Settings.
    likes_favs = {
        k: activity.pop(k)
        for k in ("Like List", "Favorite Videos", "Favorite Sounds", "Favorite Hashtags", "Favorite Effects")
    }
    pas = {
        "Profile Info": lists["profile"],
        "Autofill": lists["autofill"],
        "Following": activity.pop("Following"),
        "Follower": activity.pop("Follower"),
        "App Settings": settings["Settings"],
        "Block List": settings["Block List"],
    }
    return {
        "Comment": {"Comments": lists["comments"]},
        "Direct Message": {"Direct Messages": lists["chat"]},
        "Income+ Wallet": wallet,
        "Likes and Favorites": likes_favs,
        "Location Review": location,
        "Post": post,
        "Profile And Settings": pas,
        "TikTok Live": live,
        "TikTok Shop": shop,
        "Your Activity": activity,
    }


def dump_json(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")
