/// The Paymax sandbox's training key pairs: public, like Wantu's training key, so that every
/// sandbox and every training till on any machine agree without making keys (slow on a busy
/// till) — and so nothing signed with them is worth anything outside the sandbox. Made once with
/// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`.
extension PaymaxSandboxKeys {
    /// Signs the sandbox's answers and webhooks as "Paymax".
    static let trainingPaymaxPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEuwIBADANBgkqhkiG9w0BAQEFAASCBKUwggShAgEAAoIBAQDt7s/ScL3sWo1t
        w/ijygOK1kHbe6V3qpmP3QnEIgBM15MmWwPlikWJoHlXJ7NMddq63VlTCn6Nhxi0
        YVfg3zYDaFWzkp/Wq1X/5uwkLXazIpWm/LQ2Fk2QCO90OWMK7g69hsp+FNYuX678
        dMnwgAD4sWXfh4lrAr1cASFXdlhK0vTMNjgMSiYsHe3Wj+V16tZ0pY5DC9Gh+RPI
        excABSqwvIvfaB87D6zANuXsn4cqKX3ihHoBWm8M4jb1cWHkIvhy41IK1PKLV0vR
        AlAiFqcZ22lT6Rh4eE4wZPdMY2EXvKOQtjtuIk+6Ur0bCo+kfHSNDA2ZrwEh0tkf
        jSRKZMOfAgMBAAECgf853EQQRQk+FnjS7UavBv42ceJxkeZTmJuj7pIjRne7aev/
        XpR94M1YXHWjD2HA5nS4olWvMgNhjGNOqd229T2PGseQ3Uet/aAWAd48CXKCsNty
        McKSJ49AlHqJBcU4vNjkkzaS2s5vHu7bxVQC7lIIIrpKB8A/oCmsQGsOhQjbgVjA
        LHJLlbWzUVnCK3OzQGbFrqvb4S3EUvUh3PvOcRKR6tPDSzWYn3vYhnPf2fHFsIvT
        8RnUdaM2QU/exueQLyN9rhJRQ+bvAA5bQlu18wAdlccv6aSsjWmARRiXP01ULK7Z
        f2TfHx04dNTt2Z0abmeZ/0qskoIau9KccvWpV4kCgYEA+G8/IReMRGuXaEkNQbud
        Z6hTQ/GaUjov+tGz98LhrkjUa4QdJEMdrcU2r2+h34s80Mo0PB/sGiQhsGJjG9iz
        5rFHV4ghHuvusa5YwNMLtMIf3QFWhsfkg3cHE/8EYXg+WrDGACU3EWcINjkM/QHo
        YYxIvd5pGHVzoaZo2OXdd3kCgYEA9S2yHS9KJnwxd/1Sgd81QV45DbDGjNJv69/K
        maBGtjqiWuidO8sU+KFVgJF9PJkL4HcFyrwqFsmntaU2ZTygS6+V0HkhFmTnhaRk
        NLWKMosGgxrWPTuNs4zaAQmrnefpXgZCwktpDOn3bQ+yDSfzvsWcxnVhwUlNdjGS
        4eq8ldcCgYEAkteml9fEV/jEYKa1SEIt8sQim0lmLu4nx/hFiM/O92Yi8H4Bf5qQ
        I1MrVJ0GMAyr4Ll0EInJ01XB9/Dfpej7xQLKKWnUMePAjZOA8FCOXcRUcxxEWZwz
        bKVhMKeOnlIlgRN1pUZZ+1ZMG0izbaTAB1CU+m1I72UU+NpUpMeRlPkCgYBVixYE
        HMXQW7Ce3uH0sj5QimF5p13/MEUglTqJE2TYm+ids194x0iP3yqH6zs482UzchOx
        QqmkvcMoG3a5J8f94EtzK3Ah8h7dgBf+VADd1af2Al0RjD/Kj7BYgFlChPHlfmW4
        iLskaFWN1dYXxQLEYwpqK/Zpi/vc6zsGW/JkjQKBgBocnGTLYPiaACYklp+/zF7T
        I3Xco+CtAzOkAqfw9qxkJzZw/2ou8TYiW5mIzUSaik6IHq8h7natR/qn5sh8ET4S
        P09u4bUbnInKO5ALgUYSjX6S2J5Imr4H1BZ691vboflIRjul5YbHYdcgC6sHRg9O
        PdntqekFUkp5bZT6XkE2
        -----END PRIVATE KEY-----
        """

    /// The training merchant's key: a till configured with it can only ever talk to the sandbox.
    static let trainingMerchantPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQClNVD73u184A9v
        z8abROtSFHlXQK/lFpJFE+RkFVMATF7UrzQzVaIy24OVraaBpj5Zr/8MPucU5R09
        iUpcqt+KXVgzFb/G3GXjAG0S7JSO9jfx47ZvxXEquEaohQeenhThT88y8cmvjGkr
        3HnB7G022XN+BunoN/xYC6Wt7aCNHHvn23v9eLQm4+/cNJwlPySqYxRliE9W0ymG
        4j8XWvwmxFK2gh8qLe48vOlYSIMJRe/mswyatSYKzrttKYZdHBLILZvrrYP9s7qI
        PBKjSu3alpqSZHoTDI+sg3LHt9HbnvvZvY65LAAEySHMpH4eOei7W9U2uilbOEk3
        djQVr/79AgMBAAECggEAAdmfQCF+uNmHKrohr/7yq1m52HmLuWMfkmD25jexP9gF
        xC14cO5k/DCmSwCQabQbeiR6VMrb38lyDUydNdJJtxJfs2YWCUt8uPD6B7kjr8HU
        82NDWYHqnW8bXCCYlX+RMyBnl7CKpj81CqNJL3FZnBXi0SGRhdgh/g1sAU7fhP0C
        TvVbQjqLBKPK6c2VmfhpFaSFz34dhBPmJibzL6OsTw9zMw7imq1RSdtTRmJ6iVNt
        Fwbr0EBYVB9UE7h4FAWEXJHheQ7Iyd/usJri2DdqBIXIjXkIWz47YIG+FRPp8b81
        T6amZqCumIcHEHN/GhfbKr1JdrAPxWFha2cd3lMyGQKBgQDZM2IJy0UxPTkqGgkc
        iwIa7fIqO4YpvJoUJM87lwQTeHo/VcJbtrbAfGgev1qnGhJn4tpWRncWqT/e4kvA
        74V5PezE5iLi3bQceAolzYCMbHEsS3XtaqfbVe/Q/+bGl38l1hvwGRLrBA/5vbzP
        Xi3nvMF9hUZbgLHSOfjReAPiOQKBgQDCuE/cjfM+XYKVEMyROkCfj98vZfFmni1C
        08gxBPd/WE3DjhC4AXW8wxxw7+2CPcFpVfWLgpu/KlUmiC0NFV0HNimv44eaEG2l
        Qk95v8EOLFGlTNxpn0Orrg7gmb7XARlVaMWO8rzjZfPP9g9XdRh/3wW0zl2yqpkF
        jlnbYkOy5QKBgQCaQuY0cow4BnWdM1SZUxkxqyG9YP1Ok0cTW3lbp0wb0AtzBCPA
        I6r0VudUPy/RUrET24iakf1uuNJGKI8I/pTboWGSDqlkW3Xaal86rhPIqBRRE180
        OfXxz709wSJUlbCWXNUG16gaBo6aH2oEFa2g0uzRi2CHCIZC+y1/CDAp8QKBgCpU
        dRAGT9XD8EpFj6MWncvSM/uS1sqvIjm/3mpBoSgu4yDa9ml578VsSPeIQQKqOCyV
        Aj8k0oTZSA+LVPfeKA4USTWyad0lKyDc7HgUJnzVR55+uf/AHq7otNVAtwr4czBt
        CV2NCWEJ3dncrPMfQocxzYTDw/y+N2vMyV322669AoGBAIML2btO/1xFC3MmDP5e
        aQdtjJ1Zdx6A8Xe596imzPNkStvOv9uMAxQ8dbrT84Jsq9TpiuB7t3gwBubloT2x
        VJ+Ley5c6bW0UcqLWJArHBgIVNeSbml4xz5wJdlk42srdvhzOKTiIaBEOv52E8nN
        Msg5XcFyfu9zRcsRCGj274MW
        -----END PRIVATE KEY-----
        """
}
