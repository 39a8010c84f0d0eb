"""QRIS encoder/decoder against test-vectors §1–4, plus fuzzing."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payments import qris

V2 = "00020101021126640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE51440014ID.CO.QRIS.WWW0215ID20210662463920303UBE5204581253033605802ID5915AHASS TDM Natar6007Jakarta61054433562080704AP0163042702"
V3 = "00020101021226630016COM.MEMBASUH.WWW0118936000091100004515021004893710810303UMI51440014ID.CO.QRIS.WWW0215ID20200340731930303UKE5204482953033605404133755020256036665802ID5912Sintas Store6015Kota Yogyakarta61055500062070703A016304F98B"
V4 = "00020101021126630016COM.MEMBASUH.WWW0118936000091100004515021004893710810303UMI51440014ID.CO.QRIS.WWW0215ID20200340731930303UKE5204482953033605802ID5912Sintas Store6015Kota Yogyakarta61055500062070703A0163049FB7"
D1 = "00020101021226640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE51440014ID.CO.QRIS.WWW0215ID20210662463920303UBE52045812530336054061500005802ID5915AHASS TDM Natar6007Jakarta61054433562080704AP01630416D4"
D2 = "00020101021226640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE51440014ID.CO.QRIS.WWW0215ID20210662463920303UBE52045812530336054061500005802ID5915AHASS TDM Natar6007Jakarta61054433562410114PBB2025-0001230511INV202500010704AP0163040B93"
M1 = "00020101021226640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE51440014ID.CO.QRIS.WWW0215ID20210662463920303UBE52045812530336054061500015802ID5915AHASS TDM Natar6007Jakarta61054433562080704AP01630416D4"
M3 = "00020101021226640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE51440014ID.CO.QRIS.WWW0215ID20210662463920303UBE52045812530336054061500005802ID5926PEMERINTAH KOTA BALIKPAPAN6007Jakarta61054433562080704AP01630444C7"
M8 = "00020101021226640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE51440014ID.CO.QRIS.WWW0215ID20210662463920303UBE52045812530336054061500005802ID5915AHASS TDM Nata6007Jakarta61054433562080704AP01630459A8"


def test_crc_check_value():
    assert qris.crc16("123456789") == "29B1"


@pytest.mark.parametrize(
    ("payload", "crc"), [(V2, "2702"), (V3, "F98B"), (V4, "9FB7"), (D1, "16D4"), (D2, "0B93")]
)
def test_valid_vectors_decode_and_round_trip_exactly(payload, crc):
    decoded = qris.decode(payload)
    assert decoded.get("63") == crc
    assert qris.crc16(payload[:-4]) == crc
    assert decoded.encode() == payload


def test_v2_fields():
    decoded = qris.decode(V2)
    assert decoded.is_dynamic is False
    assert decoded.merchant_name == "AHASS TDM Natar"
    assert decoded.get("60") == "Jakarta"
    assert decoded.get("61") == "44335"
    assert decoded.templates["26"] == {
        "00": "ID.CO.ASTRAPAY.WWW",
        "01": "936008223210000240",
        "02": "210000240",
        "03": "UBE",
    }
    assert decoded.templates["51"]["02"] == "ID2021066246392"
    assert decoded.templates["62"] == {"07": "AP01"}


def test_v3_dynamic_with_fixed_fee():
    decoded = qris.decode(V3)
    assert decoded.is_dynamic is True
    assert decoded.amount == "1337"
    assert decoded.get("55") == "02"
    assert decoded.get("56") == "666"
    assert decoded.get("60") == "Kota Yogyakarta"  # exactly 15 characters


def test_static_to_dynamic_d1():
    assert qris.to_dynamic(V2, amount=150000) == D1


def test_static_to_dynamic_d2_with_bill_reference():
    payload = qris.to_dynamic(
        V2, amount=150000, bill_number="PBB2025-000123", reference="INV20250001", terminal="AP01"
    )
    assert payload == D2
    assert qris.decode(payload).bill_number == "PBB2025-000123"


def test_v4_to_v3_is_the_static_to_dynamic_recipe_plus_fee():
    tags = qris.decode(V4).tags
    out = []
    for tag, value in tags:
        if tag == "63":
            continue
        out.append((tag, "12" if tag == "01" else value))
        if tag == "53":
            out += [("54", "1337"), ("55", "02"), ("56", "666")]
    assert qris.encode(out) == V3


@pytest.mark.parametrize(
    ("payload", "reason", "tag"),
    [(M1, "crc", "63"), (M3, "length", "59"), (M8, "tlv", None)],
)
def test_invalid_vectors_are_refused_with_their_reason(payload, reason, tag):
    with pytest.raises(qris.QrisError) as info:
        qris.decode(payload)
    assert info.value.reason == reason
    if tag:
        assert info.value.tag == tag


def test_m1_message_names_both_crcs():
    with pytest.raises(qris.QrisError, match="CRC mismatch: the payload says 16D4, computed 6D08"):
        qris.decode(M1)


def test_lowercase_crc_is_refused():
    with pytest.raises(qris.QrisError) as info:
        qris.decode(V2[:-4] + "2702".lower().replace("2702", "27a2"))
    assert info.value.reason == "crc"


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda tags: [(t, "02" if t == "00" else v) for t, v in tags], "format"),
        (lambda tags: [(t, "13" if t == "01" else v) for t, v in tags], "format"),
        (lambda tags: [(t, v) for t, v in tags if t != "61"], "missing"),
        (lambda tags: [(t, "840" if t == "53" else v) for t, v in tags], "format"),
        (lambda tags: [(t, v) for t, v in tags if t != "51"], "missing"),
        (lambda tags: [*tags[:6], ("54", "1.000"), *tags[6:]], "amount"),
        (lambda tags: [(t, "X" * 16 if t == "60" else v) for t, v in tags], "length"),
    ],
)
def test_rule_violations(mutate, reason):
    tags = [(t, v) for t, v in qris.decode(V2).tags if t != "63"]
    body = "".join(qris.tlv(t, v) for t, v in mutate(tags)) + "6304"
    with pytest.raises(qris.QrisError) as info:
        qris.decode(body + qris.crc16(body))
    assert info.value.reason == reason


def test_63_must_be_last_and_00_first():
    body = V2[:-8]
    with pytest.raises(qris.QrisError) as info:
        qris.decode(body)
    assert info.value.reason == "order"
    with pytest.raises(qris.QrisError) as info:
        qris.decode("0102110002016304ABCD")
    assert info.value.reason == "order"


def test_build_dynamic_for_a_bill():
    payload = qris.build_dynamic(
        merchant_account=[
            (
                "26",
                qris.tlv("00", "ID.CO.BANKALTIMTARA.WWW") + qris.tlv("01", "9360012400000000017"),
            )
        ],
        mcc="9311",
        merchant_name="BPPDRD KOTA BALIKPAPAN",
        merchant_city="BALIKPAPAN",
        postal_code="76112",
        amount=1450000,
        bill_number="SPPT-2025-647101000100100",
        reference="PAY-2026-000001",
    )
    decoded = qris.decode(payload)
    assert decoded.is_dynamic
    assert decoded.amount == "1450000"
    assert decoded.templates["62"] == {"01": "SPPT-2025-647101000100100", "05": "PAY-2026-000001"}
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == qris.crc16(payload[:-4])


@pytest.mark.parametrize("amount", [0, -5, 1.5])
def test_build_dynamic_refuses_non_positive_or_fractional_amounts(amount):
    with pytest.raises(qris.QrisError) as info:
        qris.to_dynamic(V2, amount=amount)
    assert info.value.reason == "amount"


def test_merchant_name_over_25_is_refused_when_building():
    with pytest.raises(qris.QrisError) as info:
        qris.build_dynamic(
            merchant_account=[("26", qris.tlv("00", "ID.CO.X"))],
            mcc="9311",
            merchant_name="PEMERINTAH KOTA BALIKPAPAN",
            merchant_city="BALIKPAPAN",
            postal_code="76112",
            amount=1,
        )
    assert (info.value.reason, info.value.tag) == ("length", "59")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_arbitrary_text_never_crashes(text):
    try:
        qris.decode(text)
    except qris.QrisError as exc:
        assert exc.reason and str(exc)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(V2) - 1), st.characters())
def test_fuzz_single_character_mutations_of_v2_are_refused_clearly(position, char):
    mutated = V2[:position] + char + V2[position + 1 :]
    if mutated == V2:
        return
    with pytest.raises(qris.QrisError):
        qris.decode(mutated)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**12))
def test_fuzz_any_amount_round_trips(amount):
    payload = qris.to_dynamic(V2, amount=amount)
    assert qris.decode(payload).amount == str(amount)


def test_a_multibyte_substitution_that_keeps_the_crc_is_still_refused():
    # Found by the fuzz test above: this substitution in the city name leaves the CRC-16 equal.
    mutated = V2[:178] + "\U000495da" + V2[179:]
    assert qris.crc16(mutated[:-4]) == mutated[-4:]
    with pytest.raises(qris.QrisError) as refused:
        qris.decode(mutated)
    assert (refused.value.reason, refused.value.tag) == ("encoding", "60")
