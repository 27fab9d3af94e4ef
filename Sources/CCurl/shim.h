#ifndef SHROFF_CCURL_SHIM_H
#define SHROFF_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
   These typed wrappers pass exactly the argument type each option documents. */

/// Options taking a `long`: CURLOPT_NOSIGNAL, CURLOPT_POST, CURLOPT_HTTPGET,
/// CURLOPT_TIMEOUT_MS, CURLOPT_CONNECTTIMEOUT_MS, CURLOPT_NOPROGRESS, CURLOPT_FOLLOWLOCATION,
/// CURLOPT_FRESH_CONNECT (a new connection for this transfer), CURLOPT_FORBID_REUSE (close it after).
static inline CURLcode shroff_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking a `curl_off_t`: CURLOPT_POSTFIELDSIZE_LARGE.
static inline CURLcode shroff_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking a C string: CURLOPT_URL, CURLOPT_CUSTOMREQUEST, CURLOPT_PROTOCOLS_STR,
/// and CURLOPT_COPYPOSTFIELDS (curl copies the bytes, CURLOPT_POSTFIELDSIZE_LARGE first).
static inline CURLcode shroff_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking a data pointer: CURLOPT_WRITEDATA, CURLOPT_HEADERDATA, CURLOPT_XFERINFODATA,
/// CURLOPT_ERRORBUFFER (a buffer of CURL_ERROR_SIZE bytes).
static inline CURLcode shroff_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPT_HTTPHEADER: the request's header lines, kept alive until the transfer ends.
static inline CURLcode shroff_curl_setopt_headers(CURL *handle, struct curl_slist *list) {
    return curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list);
}

/// CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION: receive body bytes or one header line.
static inline CURLcode shroff_curl_setopt_write_function(CURL *handle, CURLoption option,
                                                         curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// CURLOPT_XFERINFOFUNCTION: called during the transfer; a non-zero return aborts it.
static inline CURLcode shroff_curl_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

/// The flags for curl_global_init: CURL_GLOBAL_DEFAULT is a composite macro and does not import.
static const long shroff_curl_global_default = CURL_GLOBAL_DEFAULT;

/// Infos answering a `long`: CURLINFO_RESPONSE_CODE, CURLINFO_NUM_CONNECTS.
static inline CURLcode shroff_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
