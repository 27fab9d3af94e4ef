#ifndef SHROFF_CCURL_SHIM_H
#define SHROFF_CCURL_SHIM_H
#include <curl/curl.h>
#endif
