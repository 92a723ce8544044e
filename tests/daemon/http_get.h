/* A tiny HTTP client for tests (libcurl): GET or another method on 127.0.0.1. */
#ifndef REPORTD_TESTS_HTTP_GET_H
#define REPORTD_TESTS_HTTP_GET_H

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"

static size_t t_http_collect(char *data, size_t size, size_t n, void *arg)
{
    rpt_buf_append(arg, data, size * n);
    return size * n;
}

/* Returns the HTTP status (0 when the request failed); the body goes into `body`. */
static inline long t_http(const char *method, int port, const char *path, rpt_buf *body)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    CURL *h = curl_easy_init();
    if (!h) return 0;
    rpt_buf_reset(body);
    curl_easy_setopt(h, CURLOPT_URL, url);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, t_http_collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    long status = 0;
    if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    return status;
}

#endif
