"""APPROXIMATE centroids of Balikpapan's kelurahan (latitude, longitude), keyed by Kemendagri code.

Placed by hand from the kelurahan's usual position on public maps, to about a kilometre; they are
NOT surveyed. The kelurahan of a complaint is the one with the nearest centroid (inside the city
polygon), which is wrong near a kelurahan border: staff may correct it in the admin, and the real
kelurahan polygons should replace this table when the city's boundary data is available
(domain-facts §9 item 6).
"""

KELURAHAN_CENTROIDS: dict[str, tuple[float, float]] = {
    # Balikpapan Timur
    "64.71.01.1001": (-1.2180, 116.9720),  # Manggar
    "64.71.01.1002": (-1.1800, 117.0150),  # Lamaru
    "64.71.01.1003": (-1.1450, 117.0650),  # Teritip
    "64.71.01.1004": (-1.2050, 116.9550),  # Manggar Baru
    # Balikpapan Barat
    "64.71.02.1001": (-1.2380, 116.8160),  # Baru Ilir
    "64.71.02.1002": (-1.2330, 116.8110),  # Baru Tengah
    "64.71.02.1003": (-1.2280, 116.8210),  # Baru Ulu
    "64.71.02.1004": (-1.1700, 116.8000),  # Kariangau
    "64.71.02.1005": (-1.2400, 116.8300),  # Margo Mulyo
    "64.71.02.1006": (-1.2450, 116.8250),  # Marga Sari
    # Balikpapan Utara
    "64.71.03.1001": (-1.2250, 116.8650),  # Batu Ampar
    "64.71.03.1002": (-1.2300, 116.8500),  # Gunung Samarinda
    "64.71.03.1003": (-1.1500, 116.8800),  # Karang Joang
    "64.71.03.1004": (-1.2380, 116.8600),  # Muara Rapak
    "64.71.03.1005": (-1.2200, 116.8450),  # Gunung Samarinda Baru
    "64.71.03.1006": (-1.2150, 116.8800),  # Graha Indah
    # Balikpapan Tengah
    "64.71.04.1001": (-1.2450, 116.8450),  # Gunung Sari Ulu
    "64.71.04.1002": (-1.2500, 116.8400),  # Gunung Sari Ilir
    "64.71.04.1003": (-1.2420, 116.8380),  # Karang Rejo
    "64.71.04.1004": (-1.2350, 116.8400),  # Karang Jati
    "64.71.04.1005": (-1.2480, 116.8520),  # Mekar Sari
    "64.71.04.1006": (-1.2430, 116.8560),  # Sumber Rejo
    # Balikpapan Selatan
    "64.71.05.1002": (-1.2600, 116.9000),  # Sepinggan
    "64.71.05.1006": (-1.2550, 116.8650),  # Gunung Bahagia
    "64.71.05.1008": (-1.2450, 116.9100),  # Sepinggan Baru
    "64.71.05.1009": (-1.2500, 116.9250),  # Sepinggan Raya
    "64.71.05.1010": (-1.2530, 116.8800),  # Sungainangka
    "64.71.05.1011": (-1.2620, 116.8600),  # Damai Baru
    "64.71.05.1012": (-1.2600, 116.8700),  # Damai Bahagia
    # Balikpapan Kota
    "64.71.06.1001": (-1.2620, 116.8320),  # Prapatan
    "64.71.06.1002": (-1.2650, 116.8400),  # Telaga Sari
    "64.71.06.1003": (-1.2700, 116.8250),  # Klandasan Ulu
    "64.71.06.1004": (-1.2720, 116.8300),  # Klandasan Ilir
    "64.71.06.1005": (-1.2640, 116.8500),  # Damai
}
