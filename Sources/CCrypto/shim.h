#ifndef SHROFF_CCRYPTO_SHIM_H
#define SHROFF_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/pem.h>
#include <openssl/bio.h>

/// `OPENSSL_free` is a macro; Swift needs a function.
static inline void shroff_openssl_free(void *p) { OPENSSL_free(p); }
#endif
