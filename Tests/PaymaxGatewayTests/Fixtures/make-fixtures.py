#!/usr/bin/env python3
"""Writes the recorded Paymax answers and webhooks the PaymaxGateway tests read.

Signed here with Python's `cryptography`, independently of the Swift signer, exactly as
notes/paymax-signing.md says Paymax signs: answers over "nonce\ntimestamp\nAuthorization\nbody",
webhooks over the raw body, SHA1withRSA (PKCS#1 v1.5), base64. The "Paymax" key pair is a
test-only key made by this script (kept in paymax-private.pem so the fixtures can be re-made).

Run from this directory: python3 make-fixtures.py
"""
import base64, json, os
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "sk_fixture_0123456789abcdef"          # the merchant secret key the tests configure
ORDER = "S261122101010ABCDEF"                   # a till order number (19 letters and digits)
CHARGE = "ch_57bede9f23b3d17b3d89438c"
NOW = 1764590400000                             # the tests' clock, in epoch milliseconds
NONCE = "9f3c1d2e4b5a69788796a5b4c3d2e1f0"

def key():
    path = os.path.join(HERE, "paymax-private.pem")
    if os.path.exists(path):
        return serialization.load_pem_private_key(open(path, "rb").read(), password=None)
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    open(path, "wb").write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return k

PAYMAX = key()
open(os.path.join(HERE, "paymax-public.pem"), "wb").write(PAYMAX.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))

def sign(data: bytes) -> str:
    return base64.b64encode(PAYMAX.sign(data, padding.PKCS1v15(), hashes.SHA1())).decode()

def answer(name, body, status=200, timestamp=NOW, authorization=SECRET):
    raw = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    signed = f"{NONCE}\n{timestamp}\n{authorization}\n".encode() + raw.encode()
    headers = {"nonce": NONCE, "timestamp": str(timestamp), "authorization": authorization, "sign": sign(signed)}
    json.dump({"status": status, "headers": headers, "body": raw}, open(os.path.join(HERE, name + ".json"), "w"),
              ensure_ascii=False, indent=1)

def webhook(name, event):
    raw = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    json.dump({"status": 200, "headers": {"Sign": sign(raw.encode())}, "body": raw},
              open(os.path.join(HERE, name + ".json"), "w"), ensure_ascii=False, indent=1)

charge = {"id": CHARGE, "order_no": ORDER, "amount": 12.3, "amount_refunded": 0, "amount_settle": 0,
          "app": "app_fixture", "channel": "alipay_web", "currency": "CNY", "client_ip": "127.0.0.1",
          "subject": "Fixture sale", "body": "Fixture sale", "livemode": False, "refunds": [],
          "time_created": NOW - 5000, "time_expire": NOW + 175000}
# amount written "12.30" in one answer, 12.3 in others: both are 1230 fen.
created = dict(charge, status="PROCESSING",
               credential={"alipay_web": "https://mapi.alipay.com/gateway.do?_input_charset=utf-8&out_trade_no=" + CHARGE})
answer("charge-created", created)
answer("charge-processing", dict(charge, status="PROCESSING"))
answer("charge-succeeded", json.dumps(dict(charge, status="SUCCEED", time_paid=NOW - 1000), separators=(",", ":")).replace('"amount":12.3,', '"amount":12.30,'))
answer("charge-failed", dict(charge, status="FAILED", failure_code="PAY_FAILED", failure_msg="user cancelled"))
answer("charge-succeeded-other-amount", dict(charge, status="SUCCEED", amount=12.31, time_paid=NOW - 1000))
answer("charge-succeeded-stale", dict(charge, status="SUCCEED", time_paid=NOW - 1000), timestamp=NOW - 121000)
answer("charge-succeeded-other-key", dict(charge, status="SUCCEED", time_paid=NOW - 1000), authorization="sk_someone_else")
answer("charge-duplicate", {"failure_code": "ORDER_NO_DUPLICATE", "failure_msg": "order_no already exists"}, status=400)
answer("charge-bad-sign-config", {"failure_code": "ILLEGAL_SIGN", "failure_msg": "sign verify failed"}, status=401)
answer("charge-unknown-code", {"failure_code": "GATEWAY_BUSY_7", "failure_msg": "try later"}, status=400)
# Refusals that name an extra field the shop can set: only a parameter refusal is the shop's to fix;
# a duplicate order number or an unknown code leaves the charge in doubt whatever its words name.
answer("charge-missing-open-id", {"failure_code": "PARAM_ERROR", "failure_msg": "extra.open_id is required for wechat_csb"}, status=400)
answer("charge-duplicate-naming-open-id", {"failure_code": "ORDER_NO_DUPLICATE", "failure_msg": "order_no already exists (open_id o8Bq-0abcdef)"}, status=400)
answer("charge-unknown-code-naming-user-id", {"failure_code": "GATEWAY_BUSY_7", "failure_msg": "user_id lookup timed out, try later"}, status=400)
# wechat_csb's code under "qr_code", as Paymax's webhook examples carry it; and under a key they never show.
wechat = dict(charge, channel="wechat_csb", status="PROCESSING")
answer("charge-created-wechat-csb", dict(wechat, credential={"wechat_csb": {"qr_code": "weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j"}}))
answer("charge-created-wechat-csb-url-only", dict(wechat, credential={"wechat_csb": {"url": "weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j"}}))

refund = {"id": "re_06cfeewewe4dc14de10fe0a", "charge": CHARGE, "order_no": ORDER, "amount": 12.3,
          "description": f"Refund {ORDER}R1: damaged", "metadata": {"refund_no": ORDER + "R1"},
          "time_created": NOW - 500}
succeeded_refund = dict(refund, status="SUCCEED", time_succeed=NOW - 100)
processing_alipay = dict(refund, status="PROCESSING", extra={"refundUrl": "https://mapi.alipay.com/gateway.do?service=refund_fastpay_by_platform_pwd&sign=251af6477b"})
answer("charge-paid-refund-made", dict(charge, status="SUCCEED", time_paid=NOW - 9000, amount_refunded=12.3,
                                       refunded=True, refunds=[succeeded_refund]))
answer("charge-paid-other-refund-processing", dict(charge, status="SUCCEED", time_paid=NOW - 9000, amount_refunded=0,
                                                   refunds=[dict(refund, id="re_backoffice0000000000000001", metadata={},
                                                                 amount=1.0, status="PROCESSING")]))
answer("charge-paid-no-refunds", dict(charge, status="SUCCEED", time_paid=NOW - 9000))
# Charges that are not this account's: of the other mode (the account is in test mode), of another app.
answer("charge-created-live", dict(created, livemode=True))
answer("charge-succeeded-live", dict(charge, status="SUCCEED", time_paid=NOW - 1000, livemode=True))
answer("charge-succeeded-other-app", dict(charge, status="SUCCEED", time_paid=NOW - 1000, app="app_someone_else"))
answer("charge-not-found", {"failure_code": "ORDER_NOT_EXIST", "failure_msg": "charge not found"}, status=404)
answer("refund-succeeded", succeeded_refund)
answer("refund-processing-alipay", processing_alipay)
answer("refund-multi", {"failure_code": "MULTI_REFUND_RECORDS", "failure_msg": "a refund is processing"}, status=400)

# Refunds listed without their metadata, as a Paymax that drops it from lists would show them.
unnamed = {k: v for k, v in refund.items() if k != "metadata"}
answer("charge-paid-refund-unnamed-processing", dict(charge, status="SUCCEED", time_paid=NOW - 9000, amount_refunded=0,
                                                     refunded=True, refunds=[dict(unnamed, status="PROCESSING")]))
first_half = dict(unnamed, id="re_f1rst000000000000000001", amount=5.0, status="SUCCEED", time_succeed=NOW - 2000)
answer("charge-paid-half-refunded-unnamed", dict(charge, status="SUCCEED", time_paid=NOW - 9000, amount_refunded=5.0,
                                                 refunded=True, refunds=[first_half]))
answer("charge-paid-refund-unnamed-failed", dict(charge, status="SUCCEED", time_paid=NOW - 9000, amount_refunded=0, refunded=True,
                                                 refunds=[dict(unnamed, status="FAILED", failure_code="REFUND_FAILED", failure_msg="closed")]))
answer("refund-second-succeeded", dict(refund, id="re_5ec0nd000000000000000002", amount=5.0, status="SUCCEED", time_succeed=NOW - 100,
                                       description=f"Refund {ORDER}R2: damaged", metadata={"refund_no": ORDER + "R2"}))
answer("refund-failed", dict(refund, status="FAILED", failure_code="REFUND_FAILED", failure_msg="the card is closed"))
answer("refund-not-found", {"failure_code": "REFUND_NOT_EXIST", "failure_msg": "no such refund"}, status=404)

webhook("webhook-charge-paid", {"data": dict(charge, status="SUCCEED", time_paid=NOW - 1000, transaction_no="2016110721001004480236849549"),
                                "notifyNo": "evt_7fb2378f457ewerwa9afe17a942ae389e", "timeCreated": NOW, "type": "CHARGE"})
webhook("webhook-refund-succeeded", {"data": succeeded_refund, "notifyNo": "evt_eff98bb453f0429b9b8fd5adfasdfc7c9",
                                     "timeCreated": NOW, "type": "REFUND"})
# Signed like the rest, but not to be believed as they stand: another merchant's charge reusing our
# order number (the seed's example charge id), a live-mode charge for a test-mode account, the seed's
# own example (its order_no is a charge id, not an order number of ours).
FOREIGN = "ch_5d0eca3b8f707ed425122e56"
webhook("webhook-charge-foreign", {"data": dict(charge, id=FOREIGN, app="app_someone_else", status="SUCCEED", time_paid=NOW - 1000),
                                   "notifyNo": "evt_0f1e2d3c4b5a69788796a5b4c3d2e1f0", "timeCreated": NOW, "type": "CHARGE"})
webhook("webhook-charge-live", {"data": dict(charge, status="SUCCEED", time_paid=NOW - 1000, livemode=True),
                                "notifyNo": "evt_1f1e2d3c4b5a69788796a5b4c3d2e1f0", "timeCreated": NOW, "type": "CHARGE"})
webhook("webhook-charge-seed-order", {"data": dict(charge, id="ch_5d0eca3b8f707ed425122e56", order_no="ch_828d6ef97f3c45a3acd41a59",
                                                   status="SUCCEED", time_paid=NOW - 1000),
                                      "notifyNo": "evt_7fb2378f457ewerwa9afe17a942ae389e", "timeCreated": NOW, "type": "CHARGE"})
# Refunds the till never asked for (no metadata), and one of another charge.
backoffice = {"id": "re_0b0ff1ce0000000000000001", "charge": CHARGE, "order_no": ORDER, "amount": 1.0,
              "description": "协商一致退款", "metadata": {}, "time_created": NOW - 500}
webhook("webhook-refund-backoffice", {"data": dict(backoffice, status="SUCCEED", time_succeed=NOW - 100),
                                      "notifyNo": "evt_2f1e2d3c4b5a69788796a5b4c3d2e1f0", "timeCreated": NOW, "type": "REFUND"})
webhook("webhook-refund-failed-unnamed", {"data": dict(backoffice, id="re_0b0ff1ce0000000000000002", amount=12.3, status="FAILED",
                                                       failure_code="REFUND_FAILED", failure_msg="channel refused"),
                                          "notifyNo": "evt_3f1e2d3c4b5a69788796a5b4c3d2e1f0", "timeCreated": NOW, "type": "REFUND"})
webhook("webhook-refund-other-charge", {"data": dict(succeeded_refund, charge=FOREIGN),
                                        "notifyNo": "evt_4f1e2d3c4b5a69788796a5b4c3d2e1f0", "timeCreated": NOW, "type": "REFUND"})
