#!/usr/bin/env python3
"""A small HTTP server for the URL-source tests.

Serves the files of DIR with an ETag (a hash of the content) and a
Last-Modified, answers 304 to a matching If-None-Match or to an
If-Modified-Since no older than the file, and answers with the status in
NAME.status (and a short body) when that file exists next to NAME. Listens on
127.0.0.1, on a free port it writes to PORTFILE. Every request is logged, one
line each, to DIR/requests.log ("GET /path if-none-match=... -> status").
"""
import email.utils
import hashlib
import http.server
import os
import sys

root, portfile = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        with open(os.path.join(root, "requests.log"), "a") as log:
            log.write("GET %s if-none-match=%s if-modified-since=%s -> %d\n" % (
                self.path, self.headers.get("If-None-Match", "-"),
                "yes" if self.headers.get("If-Modified-Since") else "-", status))

    def do_GET(self):
        name = os.path.basename(self.path.split("?")[0])
        path = os.path.join(root, name)
        if os.path.exists(path + ".status"):
            with open(path + ".status") as f:
                status = int(f.read().strip())
            return self.answer(status, b"the schedule is being edited\n")
        if not name or not os.path.isfile(path):
            return self.answer(404, b"not found\n")
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        mtime = int(os.path.getmtime(path))
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        headers = [("ETag", etag), ("Last-Modified", lastmod), ("Content-Type", "text/csv")]
        if self.headers.get("If-None-Match") == etag:
            return self.answer(304, headers=headers)
        ims = self.headers.get("If-Modified-Since")
        if ims and not self.headers.get("If-None-Match"):
            t = email.utils.parsedate_to_datetime(ims).timestamp()
            if mtime <= t:
                return self.answer(304, headers=headers)
        self.answer(200, body, headers)


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
