"""Bodies outside the city government that some complaints belong to: "not ours" may name one
of them instead of a city agency. They get the complaint by e-mail (``OutsideBody.email``, set in
the admin once each body confirms its address; none is invented here) and the command centre
records their answer. Names are the bodies' own; confirm the units with the city (domain-facts
§9 item 3)."""

# (code, name, short name, what it handles)
OUTSIDE_BODIES = [
    ("pln", "PT PLN (Persero) UP3 Balikpapan", "PLN", "Listrik: pemadaman, kabel, tiang, meteran"),
    (
        "pdam",
        "Perumda Tirta Manuntung Balikpapan",
        "PDAM",
        "Air bersih: air mati, pipa bocor, tagihan air",
    ),
    ("bpjs", "BPJS Kesehatan Cabang Balikpapan", "BPJS Kesehatan", "Jaminan kesehatan (JKN-KIS)"),
    ("polri", "Kepolisian Resor Kota Balikpapan", "Polresta", "Kriminalitas, lalu lintas, SKCK"),
    (
        "provinsi",
        "Pemerintah Provinsi Kalimantan Timur",
        "Pemprov Kaltim",
        "Jalan dan urusan provinsi, SMA/SMK",
    ),
]
