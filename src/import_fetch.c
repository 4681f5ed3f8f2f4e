/* Fetching a schedule over HTTP(S) (contract in import_fetch.h).
 *
 * libcurl is loaded when the first URL is fetched, not linked: with its
 * TLS, HTTP/2, SSH and LDAP libraries it costs every start of lanyard tens
 * of milliseconds, and only a URL import needs it. */
#include "lanyard/import_fetch.h"

#include <ctype.h>
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lanyard/text.h"

struct sink {
	FILE *f;
	size_t bytes;
	bool too_big, write_failed;
	struct fetch_result *res;
};

bool fetch_is_url(const char *s)
{
	return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *k = ctx;
	size_t len = size * n;
	if (k->bytes + len > FETCH_MAX_BYTES) {
		k->too_big = true;
		return 0;
	}
	if (fwrite(data, 1, len, k->f) != len) {
		k->write_failed = true;
		return 0;
	}
	k->bytes += len;
	return len;
}

/* A header's value, trimmed, into out. */
static bool header_value(const char *line, size_t len, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return false;
	const char *v = line + nl + 1;
	size_t vl = len - nl - 1;
	while (vl && isspace((unsigned char)*v))
		v++, vl--;
	while (vl && isspace((unsigned char)v[vl - 1]))
		vl--;
	if (vl >= outlen)
		vl = outlen - 1;
	memcpy(out, v, vl);
	out[vl] = '\0';
	return true;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *k = ctx;
	size_t len = size * n;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* A new answer (after a redirect): forget the last one's. */
		k->res->etag[0] = k->res->last_modified[0] = '\0';
		return len;
	}
	if (!header_value(data, len, "ETag", k->res->etag, sizeof k->res->etag))
		header_value(data, len, "Last-Modified", k->res->last_modified, sizeof k->res->last_modified);
	return len;
}

/* The URL for a message: no control characters, no password. */
static void shown_url(const char *url, char *out, size_t outlen)
{
	char *safe = text_sanitize(url, false);
	const char *u = safe ? safe : "?";
	const char *scheme = strstr(u, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
	if (at && (!slash || at < slash))
		snprintf(out, outlen, "%.*s%s", (int)(scheme + 3 - u), u, at + 1);
	else
		snprintf(out, outlen, "%s", u);
	free(safe);
}

/* The part of libcurl used here. */
static struct {
	bool loaded;
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} api;

static bool load_curl(void)
{
	if (api.loaded)
		return true;
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return false;
#define SYM(field, name) (*(void **)&api.field = dlsym(h, name)) != NULL
	bool ok = SYM(global_init, "curl_global_init") && SYM(easy_init, "curl_easy_init") &&
	          SYM(easy_setopt, "curl_easy_setopt") && SYM(easy_perform, "curl_easy_perform") &&
	          SYM(easy_getinfo, "curl_easy_getinfo") && SYM(easy_cleanup, "curl_easy_cleanup") &&
	          SYM(easy_strerror, "curl_easy_strerror") && SYM(slist_append, "curl_slist_append") &&
	          SYM(slist_free_all, "curl_slist_free_all");
#undef SYM
	if (!ok || api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		dlclose(h);
		return false;
	}
	api.loaded = true; /* kept loaded: libcurl's global state lives on */
	return true;
}

int fetch_url(const char *url, const char *etag, const char *last_modified, const char *dest,
              struct fetch_result *res, struct ly_error *err)
{
	memset(res, 0, sizeof *res);
	char shown[512];
	shown_url(url, shown, sizeof shown);
	if (!load_curl())
		return ly_fail(err, "%s: error: cannot fetch URLs: libcurl (Debian package libcurl4) is not "
		               "installed; download the file and import it", shown);
	struct sink k = { .res = res };
	k.f = fopen(dest, "wb");
	if (!k.f)
		return ly_fail(err, "%s: error: cannot write the download: %s", shown, dest);
	CURL *c = api.easy_init();
	if (!c) {
		fclose(k.f);
		return ly_fail(err, "%s: error: cannot start the HTTP client", shown);
	}
	struct curl_slist *hdr = NULL;
	char line[512];
	if (etag && *etag) {
		snprintf(line, sizeof line, "If-None-Match: %s", etag);
		hdr = api.slist_append(hdr, line);
	}
	if (last_modified && *last_modified) {
		snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
		hdr = api.slist_append(hdr, line);
	}
	api.easy_setopt(c, CURLOPT_URL, url);
	api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	api.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	api.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)FETCH_CONNECT_S);
	api.easy_setopt(c, CURLOPT_TIMEOUT, (long)FETCH_TIMEOUT_S);
	api.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	api.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	api.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)FETCH_MAX_BYTES);
	api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	api.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	api.easy_setopt(c, CURLOPT_USERAGENT, "lanyard/" LANYARD_VERSION);
	api.easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	api.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	api.easy_setopt(c, CURLOPT_WRITEDATA, &k);
	api.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	api.easy_setopt(c, CURLOPT_HEADERDATA, &k);
	CURLcode cc = api.easy_perform(c);
	api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	api.slist_free_all(hdr);
	api.easy_cleanup(c);
	bool closed = fclose(k.f) == 0;
	if (k.too_big || cc == CURLE_FILESIZE_EXCEEDED)
		return ly_fail(err, "%s: error: the schedule is larger than %u MB; not fetched", shown,
		               FETCH_MAX_BYTES >> 20);
	if (k.write_failed || !closed)
		return ly_fail(err, "%s: error: cannot write the download to %s", shown, dest);
	/* libcurl's own words, not errbuf's: those name ports and milliseconds. */
	if (cc == CURLE_OPERATION_TIMEDOUT)
		return ly_fail(err, "%s: error: no answer within %d seconds; nothing changed", shown, FETCH_TIMEOUT_S);
	if (cc != CURLE_OK)
		return ly_fail(err, "%s: error: cannot fetch: %s; nothing changed", shown, api.easy_strerror(cc));
	if (res->status == 304) {
		res->not_modified = true;
		return LY_OK;
	}
	if (res->status < 200 || res->status >= 300)
		return ly_fail(err, "%s: error: the server answered HTTP %ld; nothing changed", shown, res->status);
	return LY_OK;
}
