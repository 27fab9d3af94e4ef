// Throwaway RSA keys made for these tests only, never used with any gateway:
//   openssl genrsa -out key.pem 2048                               (PKCS#8 private key)
//   openssl rsa -in key.pem -traditional -out key1.pem            (the same key as PKCS#1)
//   openssl rsa -in key.pem -pubout -out pub.pem                  (SPKI public key)
//   openssl rsa -in key.pem -RSAPublicKey_out -out pub1.pem       (PKCS#1 public key)
//   openssl genrsa -out other.pem 1024; openssl rsa -in other.pem -pubout   (an unrelated key)
//   openssl rsa -in key.pem -aes256 -passout pass:secret         (the key, passphrase-encrypted)
//   openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt   (not RSA)

/// TEST KEY ONLY: the 2048-bit private key, PKCS#8 PEM.
let testOnlyPrivateKeyPKCS8 = """
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCaNI/Q9ME4KMhy
0LGJRlxnLM/9aTrgINLXN/vzFhBw1whJCY0j6rMlNShxsAzkWX20Myos6GIM2wVS
ehvsAxorM9oT+AGc9Ep0ynfWtRUFnUh5kGieqHFN0IalrOKH2JwhM60V/SXGMII7
hyBzw1Ij38T4j2Nfrkwytu02gXfQHqKWbCFo5F+hbxL2dh8tWI8psmf69dOM+ee1
I5H+EPE+1uhbO1YD2yIimHEWredmNXF5qTfKbrOeECz38u8krL1CRvhCZVSFTkcT
KxZATkrZMxr8w/QZMt/zif9nLpHCKwO3AOH/ghImP4StFk3rTGew+zKoJrN0+fco
bHvrjKthAgMBAAECggEALCEsowzYGr05F/p3RCS5nuEpKIkryyY5kFO6K4e97rzq
5xPvqz6oQ9ahm19ZYSPnIGGgCTf7j1hCfqbpRLJik8iD+UD5HTSf9ipW/z/VI0Uu
j3NvLTBhNHafgdwm+99WVv4V43wNilkpe+WguOBFqnSIRuWp96DGt6C34+hLJGid
1YqglI2A9WMtliJRjsZmM2zzcjPg1ajqx+tUfYT/DjT8WVNF15RGmBYRTzAjAgOl
+EmFixcbF2DWCwWL7MEycN2X+XrJkcKpOEpb/9XyvXW7ff8Yrdsmd0yVSdV3R+nj
Y/v2YT76S9zfRGausaKmbyJKgQJsun0ki2u+uhzXvQKBgQDYdyTnw18+y2FWZAAt
K82O4ZPiKfcJykwLORERwtkMGF5ZEw/6OL4fTuPC5OMalnDtz+wN0JGhCReETzpn
hwZuqJm/BTNTV3/m9lb/MJjZ1UfOqC+73AcgDQMXLrHQVIM2FTR5S/CpQAIHYIJg
aZ79z1Pr2U69fUxgDPKjNLU2ywKBgQC2XnFVM+0XS+c7LrJH+/J60UFwvTngjFDY
oz7Q3LODNgD0GCQps3hvL9wG8Poz59my58+e5BVch4OC62s39zsdApZ1RPcbAqSG
l32Ijk907V0HL0srw4bz1NmWxGnnXor/jPpV0jFq73ORWMgG//Wsk6mvEupkN51x
NUUaI581AwKBgQC+J3PJEKyDuh/Ix1IMXFVX9bt2Ss0T0Z0Zosjm5FbMtD91WjSH
5/7D/AZCd9U0zwFnN2azAAxd/WGmPf8dYNT6sqtUzZm31b6qwq3LwQIVIbHRzZcZ
HQE5W5TicYeMbiFRijEteNNxqqPdnR8K2N3tMosTPTNZbE+CdP1U94FVHwKBgHaG
lx4LK5KykExUoyZJx2SvT9rYAR/B0mGaZ58TcdBbbu82KXq43BNXhac1Q0gs7b5r
DvNzxbZnlL+oBf1Pv6mxHtyEwB1b8FZRaxMvetDB3G5o/HArGjCrK+fjK/ll5u0E
UUcp31hi3Deg/hAelytcpTHWF2SfCMKlHo5IjJbFAoGBALRTlftw1tdZPj0jUVAz
S2yJrsccFxIRy73tn2ga8IZ9irm4jmuXwqBJdWQct8mDSW0ZMOJ0QKUo9lwJGLkv
ySRAmsctF6gEveVtMi8jDrJqIzOzLtQ7T3f3FNJS4AHziRT/UF8ZOHFOEKeayEf8
VZH4o48gR1PKwhaVlu4QPh+d
-----END PRIVATE KEY-----
"""

/// TEST KEY ONLY: the same private key, PKCS#1 PEM.
let testOnlyPrivateKeyPKCS1 = """
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAmjSP0PTBOCjIctCxiUZcZyzP/Wk64CDS1zf78xYQcNcISQmN
I+qzJTUocbAM5Fl9tDMqLOhiDNsFUnob7AMaKzPaE/gBnPRKdMp31rUVBZ1IeZBo
nqhxTdCGpazih9icITOtFf0lxjCCO4cgc8NSI9/E+I9jX65MMrbtNoF30B6ilmwh
aORfoW8S9nYfLViPKbJn+vXTjPnntSOR/hDxPtboWztWA9siIphxFq3nZjVxeak3
ym6znhAs9/LvJKy9Qkb4QmVUhU5HEysWQE5K2TMa/MP0GTLf84n/Zy6RwisDtwDh
/4ISJj+ErRZN60xnsPsyqCazdPn3KGx764yrYQIDAQABAoIBACwhLKMM2Bq9ORf6
d0QkuZ7hKSiJK8smOZBTuiuHve686ucT76s+qEPWoZtfWWEj5yBhoAk3+49YQn6m
6USyYpPIg/lA+R00n/YqVv8/1SNFLo9zby0wYTR2n4HcJvvfVlb+FeN8DYpZKXvl
oLjgRap0iEblqfegxregt+PoSyRondWKoJSNgPVjLZYiUY7GZjNs83Iz4NWo6sfr
VH2E/w40/FlTRdeURpgWEU8wIwIDpfhJhYsXGxdg1gsFi+zBMnDdl/l6yZHCqThK
W//V8r11u33/GK3bJndMlUnVd0fp42P79mE++kvc30RmrrGipm8iSoECbLp9JItr
vroc170CgYEA2Hck58NfPsthVmQALSvNjuGT4in3CcpMCzkREcLZDBheWRMP+ji+
H07jwuTjGpZw7c/sDdCRoQkXhE86Z4cGbqiZvwUzU1d/5vZW/zCY2dVHzqgvu9wH
IA0DFy6x0FSDNhU0eUvwqUACB2CCYGme/c9T69lOvX1MYAzyozS1NssCgYEAtl5x
VTPtF0vnOy6yR/vyetFBcL054IxQ2KM+0NyzgzYA9BgkKbN4by/cBvD6M+fZsufP
nuQVXIeDgutrN/c7HQKWdUT3GwKkhpd9iI5PdO1dBy9LK8OG89TZlsRp516K/4z6
VdIxau9zkVjIBv/1rJOprxLqZDedcTVFGiOfNQMCgYEAvidzyRCsg7ofyMdSDFxV
V/W7dkrNE9GdGaLI5uRWzLQ/dVo0h+f+w/wGQnfVNM8BZzdmswAMXf1hpj3/HWDU
+rKrVM2Zt9W+qsKty8ECFSGx0c2XGR0BOVuU4nGHjG4hUYoxLXjTcaqj3Z0fCtjd
7TKLEz0zWWxPgnT9VPeBVR8CgYB2hpceCyuSspBMVKMmScdkr0/a2AEfwdJhmmef
E3HQW27vNil6uNwTV4WnNUNILO2+aw7zc8W2Z5S/qAX9T7+psR7chMAdW/BWUWsT
L3rQwdxuaPxwKxowqyvn4yv5ZebtBFFHKd9YYtw3oP4QHpcrXKUx1hdknwjCpR6O
SIyWxQKBgQC0U5X7cNbXWT49I1FQM0tsia7HHBcSEcu97Z9oGvCGfYq5uI5rl8Kg
SXVkHLfJg0ltGTDidEClKPZcCRi5L8kkQJrHLReoBL3lbTIvIw6yaiMzsy7UO093
9xTSUuAB84kU/1BfGThxThCnmshH/FWR+KOPIEdTysIWlZbuED4fnQ==
-----END RSA PRIVATE KEY-----
"""

/// TEST KEY ONLY: its public key, SPKI PEM.
let testOnlyPublicKeySPKI = """
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmjSP0PTBOCjIctCxiUZc
ZyzP/Wk64CDS1zf78xYQcNcISQmNI+qzJTUocbAM5Fl9tDMqLOhiDNsFUnob7AMa
KzPaE/gBnPRKdMp31rUVBZ1IeZBonqhxTdCGpazih9icITOtFf0lxjCCO4cgc8NS
I9/E+I9jX65MMrbtNoF30B6ilmwhaORfoW8S9nYfLViPKbJn+vXTjPnntSOR/hDx
PtboWztWA9siIphxFq3nZjVxeak3ym6znhAs9/LvJKy9Qkb4QmVUhU5HEysWQE5K
2TMa/MP0GTLf84n/Zy6RwisDtwDh/4ISJj+ErRZN60xnsPsyqCazdPn3KGx764yr
YQIDAQAB
-----END PUBLIC KEY-----
"""

/// TEST KEY ONLY: its public key, PKCS#1 PEM.
let testOnlyPublicKeyPKCS1 = """
-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAmjSP0PTBOCjIctCxiUZcZyzP/Wk64CDS1zf78xYQcNcISQmNI+qz
JTUocbAM5Fl9tDMqLOhiDNsFUnob7AMaKzPaE/gBnPRKdMp31rUVBZ1IeZBonqhx
TdCGpazih9icITOtFf0lxjCCO4cgc8NSI9/E+I9jX65MMrbtNoF30B6ilmwhaORf
oW8S9nYfLViPKbJn+vXTjPnntSOR/hDxPtboWztWA9siIphxFq3nZjVxeak3ym6z
nhAs9/LvJKy9Qkb4QmVUhU5HEysWQE5K2TMa/MP0GTLf84n/Zy6RwisDtwDh/4IS
Jj+ErRZN60xnsPsyqCazdPn3KGx764yrYQIDAQAB
-----END RSA PUBLIC KEY-----
"""

/// TEST KEY ONLY: the public half of an unrelated 1024-bit key.
let testOnlyUnrelatedPublicKey = """
-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDI9njtrwlBibW9kbOqnzImm4gn
k9QDc9VHxgadMT20KL1NSGxQfrharl9y3Wk/ItQMr1ws/JRZiXaSN8ip0CXS9adQ
iFyiDyC8zHfjmaDiKVyW0RVLuOJKoHG7BpjTApDsHBWsIFyrlIshxLU5eCTu8a4b
W+Bx+hjfSOjsVk7MwQIDAQAB
-----END PUBLIC KEY-----
"""

/// TEST KEY ONLY: the private key encrypted with the passphrase "secret".
let testOnlyEncryptedPrivateKey = """
-----BEGIN ENCRYPTED PRIVATE KEY-----
MIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIbwwWKbYASxkCAggA
MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBCX2IHFFSBqbD+dqx3SdOxsBIIE
0CRS/weJPf7xoukHP/wfJdfrtJn3A9m2g9Cx8G3OI0vQHSkav5FFi/JC0kvruc0N
1mBnphr1Qdn0vN2ZCqDXAAezVpodGsVbGXRx0jyLj91r6M5IyZlYHOvUeRwX9dbl
YM52OsOal76pI1+Dj+7El4dvSf+AHb1EttOoEV1QagrmC3WlyR7VWap/N2WH3bmE
m2h5mMX9IUyHJkfgWDESKEqLwzeCf1WG1U7EbsGQLVzsJyL0ajRIvlLeSPdjewyT
kWBUEExs1XPqbTyoOw6YcM1KmBzMc1N0Vz82cBEd3mv4PbImAGzfVfzkrWHeqGa8
8bWu91pCXXKvMwo1q1eXpCHu4+fbQ+30m3efmIxRqlZ4B3qzzVmngDYX5K3KJ+DB
gT2q7/Zw/aMvjpKhoH07KUYqrAYEyngUhIuMqDrTACefVqM/x7lGzjr/G2J441HM
v9bC096IeMGc5m2SOKo5nEZ2VDodURnxLjU+oZrCWS9LZ6r9W4t9wEp41nqYDF7X
PkkGTnp7HNkDIlADvUY7v2QgIDY3I5ZixgtTnskfG1iCmWLswmI55vdhn+Mi9gnN
yZ91kMcXin/nQsBMHntqAn0VD2hWNU+OUPQORCbap2BnFZkb6Psz4byBw8B1P1eQ
tpVwFQLFgq3uPv7xtWfHJAF7W3tEblB2BNRF7E2eFiyVSES0v7e78kbhq5+AeZ+F
OHKJVAKMSrJhoMtkwZ2rh6db5OENRjYqSi2PH2g4QNb0u3ue1QnrIxtGyfcyr6TC
T30f9ylhC2glci8HAIBbxS+XCkcBrs9k02lZVV1wRo1XMi+NOe4NlzpsAXQnCQlC
W/SHxYMlUL9pZYT0nybsn28zLUOiv8qrF94fs0fhG9lfjlBDHpDi42Oqtr6HO8c+
N0BvRzLGK3ugVnrGyf4s84uV7ZcHRA1xIjiipefpUTi7s7BGWUo/TP2+vD3F21kv
amJ4xyDESHVaks+3t2ySRdkAfb4eCHO0ILloCxhKsnC4J29WikKWXaETOQLnG03V
MXSdJRlXJPh/77quuTDwoy1Mzg+kdUcS5oZie8yapFeQkEY1ZHY2vbgn1EQLdjen
N7W9sfBzf49ZLZmXlt7U2ntpNEtwDO+MD88jBnO7cUVb21ytErhGDmFSLtUEVjiM
kNs13FM34u+169l+Lpwv04r5SuEioroAoIG2tvHHWceL3lj3FVpSKrlS41DBbdQZ
hgr1V4YnKdt20aH+KtZbg5gR/uGLqZ0qe5aC2Q2VhIu9tAgS4DIEano3EQSbANQn
14mM++iAp+v33lz102bTCxHWE/C7PM4IuyRcwkTXV9VTNi46Bp7dSesrIowYhfLm
FjlFmsUPkAJ1E1gzMQDL798xLrQu6aKCaskWbF7g2yT5t8NfUikM4MrkmUNEslFO
a5xTQSMPTAMEjjyJ3isDyHzmYUE62/faUkgZ7KOJA73dFT6CqkdWKMQIKLqf9jWs
LUg8wTt0nDyJYl04+7E01LapaB7B/hwT1fQZda2NtrWT9nVC9Os8U49hBY5fdMaY
Y37AY+RyvTafCgc26GuxFt1abC3M6WVmmEMTw8VKBpFlsgdavmTgsrxwq8TrBFkg
jjBYfxqGVezodCyYWap0x8ds/1nxvCc1I232QEHMnPH1
-----END ENCRYPTED PRIVATE KEY-----
"""

/// TEST KEY ONLY: a P-256 EC private key (not RSA).
let testOnlyECPrivateKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfx41SngulS7rWzGl
2nXzESd8Iu0yGgaWvs//ORJEt8ahRANCAAQ5F3yAiWQfiQTJ/hhBYf/A2c5nb5UK
Cqdgj1Qq10Q4y0HSEk9RvUu/64U+7Ks3Q56AyQS8UTsc+j2BfRR47tCS
-----END PRIVATE KEY-----
"""
