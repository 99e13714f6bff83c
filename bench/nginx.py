"""nginx as the ceiling of a read: each benchmarked answer's exact body, as the service gave it,
served as a static file by Debian's nginx with one worker, `sendfile` and `open_file_cache`, the
access log off. What a static file server pays to send the same bytes.

Each URL (path and query string) is mapped to its file by `map $request_uri`; each file has its
own internal location that sets the service's Content-Type, so headers differ from the
service's only where nginx adds its own (Server, ETag, Last-Modified, Accept-Ranges).
"""

import hashlib
import shutil
import subprocess
from pathlib import Path

from harness import NGINX_PORT, get, start

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(scratch, answers):
    """The configuration serving `answers` ({path and query: (content type, file name)})."""
    mapped = "\n".join(f'        "{url}" /answers/{name};' for url, (_, name) in answers.items())
    typed = "\n".join(f'        location = /answers/{name} {{ internal; default_type "{content_type}"; }}'
                      for _, (content_type, name) in answers.items())
    return f"""worker_processes 1;
daemon off;
master_process off;
pid {scratch}/nginx.pid;
error_log {scratch}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000000;
    keepalive_timeout 75s;
    open_file_cache max=100 inactive=60s;
    open_file_cache_valid 60s;
    client_body_temp_path {scratch}/tmp;
    proxy_temp_path {scratch}/tmp;
    fastcgi_temp_path {scratch}/tmp;
    uwsgi_temp_path {scratch}/tmp;
    scgi_temp_path {scratch}/tmp;
    types {{ }}
    map_hash_bucket_size 256;
    map $request_uri $answer {{
        default "";
{mapped}
    }}
    server {{
        listen 127.0.0.1:{NGINX_PORT};
        root {scratch}/root;
        location / {{
            if ($answer = "") {{ return 404; }}
            rewrite ^ $answer last;
        }}
{typed}
    }}
}}
"""


def write_site(scratch, base, paths):
    """Captures each of `paths` from the service at `base` (identity encoding, the request wrk
    sends) and writes the site nginx serves; returns its configuration file."""
    (scratch / "root/answers").mkdir(parents=True, exist_ok=True)
    (scratch / "tmp").mkdir(exist_ok=True)
    answers = {}
    for path in dict.fromkeys(paths):
        status, headers, body = get(base + path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}, not 200")
        name = hashlib.sha256(path.encode()).hexdigest()[:16]
        (scratch / "root/answers" / name).write_bytes(body)
        answers[path] = (dict((k.lower(), v) for k, v in headers)["content-type"], name)
    config = scratch / "nginx.conf"
    config.write_text(nginx_config(scratch, answers))
    return config


def command(config):
    return [NGINX, "-p", str(config.parent), "-c", str(config)]


def start_nginx(scratch, base, paths):
    """nginx serving the service's answers to `paths`, pinned like every server here; checks
    that it sends the very bytes the service sent."""
    config = write_site(scratch, base, paths)
    checked = subprocess.run([*command(config), "-t"], capture_output=True, text=True)
    if checked.returncode:
        raise RuntimeError(f"nginx refuses its configuration {config}: {checked.stderr}")
    process = start(command(config), NGINX_PORT, ready_path=paths[0])
    for path in paths:
        ours, theirs = get(base + path), get(f"http://127.0.0.1:{NGINX_PORT}{path}")
        if theirs[0] != 200 or theirs[2] != ours[2]:
            raise RuntimeError(f"nginx does not serve the service's bytes for {path}")
    return process, config
