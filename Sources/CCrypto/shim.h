#ifndef SHROFF_CCRYPTO_SHIM_H
#define SHROFF_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/hmac.h>
#include <openssl/decoder.h>

/// `OPENSSL_free` is a macro; Swift needs a function.
static inline void shroff_openssl_free(void *p) { OPENSSL_free(p); }

/// Key-selection masks for `OSSL_DECODER_CTX_new_for_pkey`: composite macros do not import.
static const int shroff_select_key_pair = EVP_PKEY_KEYPAIR;
static const int shroff_select_public_key = EVP_PKEY_PUBLIC_KEY;

/// A decoder for one RSA key from PEM (`pem` non-zero) or DER text, of any structure (PKCS#1,
/// PKCS#8, SPKI). OpenSSL 3.0 keeps the type-name pointers it is given, so they must outlive
/// the context: string literals here, never Swift's temporary C strings.
static inline OSSL_DECODER_CTX *shroff_rsa_decoder(EVP_PKEY **pkey, int pem, int selection) {
    return OSSL_DECODER_CTX_new_for_pkey(pkey, pem ? "PEM" : "DER", NULL, "RSA", selection, NULL, NULL);
}

#endif
