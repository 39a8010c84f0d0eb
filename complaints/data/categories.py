"""The complaint categories (a small tree) and the agency that handles each.

``code`` doubles as the Open311 ``service_code`` (issue 8), so it never changes once published.
Response time is in working hours, resolution time in working days, on the handling agency's
calendar. ``is_field``: the work happens on the street, so resolving needs an "after" photo.
``keywords``: Indonesian stems that suggest the category (see ``complaints.suggestion``).
The agency for each category follows the usual Indonesian city SOTK and must be confirmed with the
city (domain-facts §9 item 3).
"""

# (code, parent code, name (id), name (en), agency, response hours, resolution days, is_field,
#  keywords)
CATEGORIES = [
    ("infrastruktur", None, "Infrastruktur", "Infrastructure", "dpu", 8, 10, True, []),
    (
        "jalan_rusak",
        "infrastruktur",
        "Jalan rusak",
        "Damaged road",
        "dpu",
        8,
        10,
        True,
        ["jalan", "berlubang", "lubang", "aspal", "rusak", "retak", "amblas", "trotoar"],
    ),
    (
        "drainase",
        "infrastruktur",
        "Drainase / saluran",
        "Drainage",
        "dpu",
        8,
        7,
        True,
        ["drainase", "saluran", "got", "selokan", "parit", "gorong", "tersumbat", "mampet"],
    ),
    (
        "lampu_jalan",
        "infrastruktur",
        "Lampu jalan",
        "Street lights",
        "dishub",
        8,
        5,
        True,
        ["lampu", "penerangan", "pju", "gelap", "padam", "mati"],
    ),
    ("lingkungan", None, "Lingkungan", "Environment", "dlh", 8, 5, True, []),
    (
        "sampah",
        "lingkungan",
        "Sampah",
        "Waste",
        "dlh",
        8,
        3,
        True,
        ["sampah", "tps", "bau", "menumpuk", "buang", "kotor", "limbah"],
    ),
    (
        "banjir",
        "lingkungan",
        "Banjir / genangan",
        "Flooding / standing water",
        "bpbd",
        2,
        3,
        True,
        ["banjir", "genangan", "tergenang", "menggenang", "air", "hujan", "meluap"],
    ),
    (
        "kesehatan_masyarakat",
        None,
        "Kesehatan masyarakat",
        "Public health",
        "dkk",
        8,
        5,
        False,
        ["nyamuk", "dbd", "demam", "puskesmas", "sakit", "wabah", "jentik", "fogging"],
    ),
    (
        "administrasi_kependudukan",
        None,
        "Administrasi kependudukan",
        "Population administration",
        "disdukcapil",
        8,
        5,
        False,
        ["ktp", "kk", "akta", "kartu", "keluarga", "nik", "dukcapil", "kia"],
    ),
    (
        "perizinan",
        None,
        "Perizinan",
        "Licensing",
        "dpmptsp",
        8,
        10,
        False,
        ["izin", "perizinan", "imb", "pbg", "nib", "usaha", "reklame", "oss"],
    ),
    (
        "ketertiban_umum",
        None,
        "Ketertiban umum",
        "Public order",
        "satpolpp",
        8,
        5,
        False,
        ["pkl", "pedagang", "liar", "parkir", "bising", "gaduh", "mabuk", "bangunan"],
    ),
    ("lainnya", None, "Lainnya", "Other", "diskominfo", 8, 10, False, []),
]

# Public output rounds their locations to ~1 km: a point could single out a household (illness,
# personal papers) or the neighbour who reported a neighbour (public order).
SENSITIVE_CATEGORIES = ("kesehatan_masyarakat", "administrasi_kependudukan", "ketertiban_umum")

# Held-back examples for measuring the suggestion (never used to build the keyword lists above).
HELD_BACK_EXAMPLES = [
    ("Jalan di depan sekolah berlubang besar dan aspalnya rusak", "jalan_rusak"),
    ("Aspal amblas di jalan Soekarno Hatta km 5, berbahaya untuk motor", "jalan_rusak"),
    ("Trotoar retak dan rusak parah dekat pasar", "jalan_rusak"),
    ("Selokan mampet dan saluran tersumbat sampah plastik", "drainase"),
    ("Got di gang kami tersumbat, parit meluap", "drainase"),
    ("Lampu jalan mati sudah seminggu, jalan gelap di malam hari", "lampu_jalan"),
    ("Penerangan jalan umum padam, PJU tidak menyala", "lampu_jalan"),
    ("Sampah menumpuk di TPS dan bau sekali", "sampah"),
    ("Banyak orang buang sampah sembarangan, lingkungan kotor", "sampah"),
    ("Banjir setinggi lutut setelah hujan deras, air meluap ke rumah", "banjir"),
    ("Genangan air di perempatan tidak surut, jalan tergenang", "banjir"),
    ("Banyak nyamuk dan jentik, tetangga kena DBD, mohon fogging", "kesehatan_masyarakat"),
    (
        "KTP saya belum jadi, kartu keluarga juga belum dicetak dukcapil",
        "administrasi_kependudukan",
    ),
    ("Akta kelahiran anak belum selesai, NIK tidak terdaftar", "administrasi_kependudukan"),
    ("Izin usaha saya di OSS belum terbit, NIB bermasalah", "perizinan"),
    ("Pedagang PKL liar berjualan di trotoar dan parkir liar", "ketertiban_umum"),
    ("Suara bising dan gaduh orang mabuk setiap malam", "ketertiban_umum"),
    ("Tolong diperhatikan", None),
]

# A second held-back set, written by someone who did not write the keyword lists, in the way
# citizens write on WhatsApp (slang, abbreviations, no category words), and measured ONCE with the
# rules as they were: the rules were not changed after seeing these results. ``None``: nothing
# fits well enough, the command centre should triage it. See complaints/README.md for the figure.
HELD_BACK_INDEPENDENT = [
    ("pak tolong jln depan gg 5 banyak lubang, kemarin ada yg jatuh dr motor", "jalan_rusak"),
    ("Ruas jalan menuju perumahan sudah hancur, kalau hujan jadi kubangan", "jalan_rusak"),
    ("Aspal ngelupas di tanjakan dekat SD, bahaya buat anak sekolah", "jalan_rusak"),
    ("Paving block di jalan lingkungan RT 12 ambrol", "jalan_rusak"),
    ("Got depan rumah penuh lumpur, airnya gak ngalir sama sekali", "drainase"),
    ("Gorong-gorong di bawah jalan tertutup sampah, air balik ke rumah warga", "drainase"),
    ("Parit samping masjid dangkal, tiap sore baunya busuk dan airnya diam", "drainase"),
    ("PJU di jalan MT Haryono sudah 2 minggu tidak nyala", "lampu_jalan"),
    ("Lampu penerangan di taman kota kedip-kedip terus lalu mati", "lampu_jalan"),
    ("Gang kami gelap gulita malam hari, lampunya rusak, rawan maling", "lampu_jalan"),
    ("Tumpukan sampah di pinggir sungai belum diangkut seminggu", "sampah"),
    ("Truk sampah tidak lewat lagi di komplek kami sejak awal bulan", "sampah"),
    ("Ada yang bakar sampah tiap malam, asapnya masuk rumah", "sampah"),
    ("Air setinggi pinggang masuk rumah waktu hujan semalam, tolong dicek", "banjir"),
    ("Jalan Beller tergenang tiap hujan deras, motor mogok semua", "banjir"),
    ("Kawasan Gunung Samarinda kebanjiran lagi, warga mengungsi", "banjir"),
    ("Anak saya kena demam berdarah, di lingkungan banyak jentik", "kesehatan_masyarakat"),
    ("Mohon fogging di RT 20, sudah 3 warga dirawat DBD", "kesehatan_masyarakat"),
    ("Pelayanan di puskesmas lama sekali, antrian sampai siang", "kesehatan_masyarakat"),
    ("Sudah 3 bulan e-KTP saya belum dicetak, katanya blanko habis", "administrasi_kependudukan"),
    ("Mau urus akta kelahiran anak tapi sistem selalu error", "administrasi_kependudukan"),
    ("Data di KK saya salah nama ibu, bagaimana cara perbaiki", "administrasi_kependudukan"),
    ("Pengajuan PBG untuk rumah toko belum ada kabar sebulan", "perizinan"),
    ("NIB usaha katering saya tidak bisa terbit di OSS", "perizinan"),
    ("Izin reklame papan iklan saya ditolak tanpa alasan", "perizinan"),
    ("Banyak lapak PKL di trotoar Klandasan, pejalan kaki turun ke jalan", "ketertiban_umum"),
    ("Tiap malam minggu ada balap liar dan suara knalpot brong", "ketertiban_umum"),
    ("Tetangga bikin bangunan sampai menutup saluran dan jalan umum", "ketertiban_umum"),
    ("Terima kasih atas pelayanannya", None),
    ("Tolong dibantu pak, sudah lama tidak ada tindak lanjut", None),
]
