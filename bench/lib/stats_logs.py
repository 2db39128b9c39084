"""
bench/stats's generator: a show of N episodes and an nginx "combined" log
of its listeners. Standard library only (Debian's /usr/bin/python3).

    stats_logs.py show DIR EPISODES AUDIO
        DIR/feed/podcast.yaml and DIR/episodes/NNN-episode.md, each
        episode's audio a symbolic link to AUDIO (so one long file serves
        all); dated every 3 days up to 2025-06-01.
    stats_logs.py log FILE LINES EPISODES
        FILE: LINES lines from 2025-06-01, about 333,000 a day (10 million
        in 30 days; the same listeners every day, so that a longer log is
        more days of the same traffic), in time order:
        listeners (addresses and podcast apps) fetching episodes in 1 MiB
        range requests, some whole, some only a few seconds, bytes=0-1
        probes, HEAD requests, bots, feed polls and 404s. Deterministic
        (seeded).
"""
import os
import random
import sys
import time

BASE = "https://media.example.org/bench/"
PATH = "/bench/"
START = 1748736000          # 2025-06-01T00:00:00Z
PER_DAY = 333_333           # lines a day
LISTENERS = 300_000         # (address, app) pairs

APPS = [
    "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; nl_nl)",
    "AppleCoreMedia/1.0.0.20G75 (iPad; U; CPU OS 16_6 like Mac OS X; en_us)",
    "Podcasts/1650.20 CFNetwork/1408.0.4 Darwin/22.5.0",
    "Spotify/8.8.86 iOS/17.4.1 (iPhone15,2)",
    "Spotify/8.9.18.512 Android/34 (SM-S911B)",
    "PocketCasts/1.0 (Pocket Casts - Android v7.57; +https://pocketcasts.com/)",
    "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)",
    "AntennaPod/3.3.2",
    "Castro 2023.10/1196 CFNetwork/1485 Darwin/23.1.0",
    "gPodder/3.11.1 (+http://gpodder.org/) Linux",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
    "PodcastAddict/v5 (+https://podcastaddict.com/; Android podcast app)",
    "Deezer/7.0.12.6 (Android; 13; Mobile; nl) samsung SM-A536B",
    "CastBox/8.60.3-221103094 (Linux;Android 12) ExoPlayerLib/2.10.4",
    "Podimo/2.30.0 (iPhone; iOS 17.2; Scale/3.00)",
    "okhttp/4.12.0",
    "VLC/3.0.20 LibVLC/3.0.20",
    "Lavf/60.3.100",
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "curl/8.5.0",
    "python-requests/2.31.0",
]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def make_show(folder, episodes, audio):
    os.makedirs(os.path.join(folder, "feed"), exist_ok=True)
    os.makedirs(os.path.join(folder, "episodes"), exist_ok=True)
    with open(os.path.join(folder, "feed", "podcast.yaml"), "w") as f:
        f.write("title: Bench show\ndescription: A show for bench/stats.\n"
                "language: en\nbase_url: %s\n" % BASE)
    for i in range(1, episodes + 1):
        name = "%03d-episode" % i
        date = time.strftime("%Y-%m-%dT06:00:00Z",
                             time.gmtime(START - (episodes - i) * 3 * 86400))
        with open(os.path.join(folder, "episodes", name + ".md"), "w") as f:
            f.write("---\ntitle: Episode %d\nguid: bench-%04d\ndate: %s\n"
                    "audio: %s.mp3\n---\nNotes.\n" % (i, i, date, name))
        link = os.path.join(folder, "episodes", name + ".mp3")
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(audio), link)


def make_log(path, lines, episodes, size=int(os.environ.get("SIZE", "9600000"))):
    rnd = random.Random(20250601)
    chunk = 1 << 20
    listeners = LISTENERS
    out = []
    written = 0
    t = START
    step = 86400 / PER_DAY
    clock = float(START)
    cache_t, cache_s = None, ""

    def stamp(t):
        nonlocal cache_t, cache_s
        if t != cache_t:
            g = time.gmtime(t)
            cache_s = "%02d/%s/%d:%02d:%02d:%02d +0000" % (
                g.tm_mday, MONTHS[g.tm_mon - 1], g.tm_year, g.tm_hour,
                g.tm_min, g.tm_sec)
            cache_t = t
        return cache_s

    with open(path, "w") as f:
        while written < lines:
            t = int(clock)
            who = rnd.randrange(listeners)
            ip = "%d.%d.%d.%d" % (10 + who % 200, (who >> 3) % 256,
                                  (who >> 7) % 256, who % 251 + 1)
            if who % 7 == 0:
                ip = "2001:db8:%x::%x" % (who % 65536, who)
            kind = rnd.random()
            ts = stamp(t)
            if kind < 0.05:
                ua = APPS[who % len(APPS)]
                out.append('%s - - [%s] "GET %sfeed.xml HTTP/1.1" 200 48213 '
                           '"-" "%s"\n' % (ip, ts, PATH, ua))
                n = 1
            elif kind < 0.08:
                ua = BOTS[who % len(BOTS)]
                ep = rnd.randrange(episodes) + 1
                out.append('%s - - [%s] "GET %s%03d-episode.mp3 HTTP/1.1" 200 '
                           '%d "-" "%s"\n' % (ip, ts, PATH, ep, size, ua))
                n = 1
            elif kind < 0.09:
                ua = APPS[who % len(APPS)]
                out.append('%s - - [%s] "GET %smissing.mp3 HTTP/1.1" 404 153 '
                           '"-" "%s"\n' % (ip, ts, PATH, ua))
                n = 1
            else:
                ua = APPS[who % len(APPS)]
                # newer episodes are fetched more
                ep = episodes - int(rnd.paretovariate(1.2)) % episodes
                url = "%s%03d-episode.mp3" % (PATH, ep)
                out.append('%s - - [%s] "HEAD %s HTTP/1.1" 200 0 "-" "%s"\n'
                           % (ip, ts, url, ua))
                out.append('%s - - [%s] "GET %s HTTP/1.1" 206 2 "-" "%s"\n'
                           % (ip, ts, url, ua))
                n = 2
                if rnd.random() < 0.15:
                    parts = 1          # a few seconds only: not a download
                else:
                    parts = rnd.randint(2, 10)
                for _ in range(parts):
                    if n + written >= lines:
                        break
                    sent = chunk if parts > 1 else 4096
                    out.append('%s - - [%s] "GET %s HTTP/1.1" 206 %d "-" '
                               '"%s"\n' % (ip, ts, url, sent, ua))
                    n += 1
            written += n
            clock += step * n
            if len(out) >= 100000:
                f.write("".join(out))
                out.clear()
        f.write("".join(out))


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "show":
        make_show(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "log":
        make_log(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
