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

/// A fresh RSA key pair of `bits` bits (the sandbox's signing key); NULL on failure.
static inline EVP_PKEY *shroff_rsa_generate(unsigned int bits) {
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (context == NULL) return NULL;
    if (EVP_PKEY_keygen_init(context) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(context, (int)bits) != 1
        || EVP_PKEY_generate(context, &pkey) != 1) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(context);
    return pkey;
}

/// The key written as PEM into a memory BIO: PKCS#8 for the private key (`private_part` non-zero),
/// SPKI for the public one. NULL on failure; the caller frees the BIO.
static inline BIO *shroff_pem_bio(EVP_PKEY *pkey, int private_part) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return NULL;
    int written = private_part ? PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL)
                               : PEM_write_bio_PUBKEY(bio, pkey);
    if (written != 1) { BIO_free(bio); return NULL; }
    return bio;
}

#endif
