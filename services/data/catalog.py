"""The demo catalog: categories, the services of the agencies serving Balikpapan (MPP and
offices), and the life-event journeys. Loaded by ``manage.py seed_demo``
(``services.catalog.seeding.seed_catalog``).

Sources and confidence (shared/domain-facts.md §4.3): the MPP has 27 agencies and ~80 services;
its busiest counters are Disdukcapil, DPMPTSP, Bankaltimtara, BPJS Kesehatan and the police, and
BNN, Imigrasi, Badan POM and BPJS Ketenagakerjaan also serve there — those agencies are marked
``mpp=True``. For the others the MPP tenancy is a guess (✖), as are requirements, service-level
times and fees, which follow the national rules cited in ``legal`` (PP 76/2020 for police
fees, PP 48/2014 for KUA marriage fees, UU 14/2008 for information requests, …) and the usual
practice of Indonesian cities. Every agency must check its own entries in the admin before
production; that is why agency admins maintain them. No phone number or address is invented:
``contact`` is filled in only where a source gives it.

Codes are stable: the civil registry module handles exactly akta_kelahiran, kk, kia,
pindah_datang, ktp_el_cetak_ulang, akta_kematian and pindah_keluar; payments handles pbb and
retribusi; health handles antrean_puskesmas; complaints handles pengaduan.
"""

from __future__ import annotations

# (slug, Indonesian name, English name, icon)
CATEGORIES = [
    ("kependudukan", "Kependudukan & Pencatatan Sipil", "Population & civil registry", "id-card"),
    ("pajak-retribusi", "Pajak & Retribusi", "Taxes & levies", "receipt"),
    ("kesehatan", "Kesehatan", "Health", "heart-pulse"),
    ("perizinan", "Perizinan & Usaha", "Permits & business", "briefcase"),
    ("sosial", "Sosial & Perlindungan", "Social welfare & protection", "hands-helping"),
    ("pendidikan", "Pendidikan", "Education", "school"),
    ("ketenagakerjaan", "Ketenagakerjaan", "Employment", "hard-hat"),
    ("kepolisian", "Kepolisian & Keamanan", "Police & safety", "shield"),
    ("keimigrasian", "Keimigrasian", "Immigration", "passport"),
    ("pertanahan", "Pertanahan & Bangunan", "Land & buildings", "house"),
    ("transportasi", "Transportasi", "Transport", "bus"),
    ("lingkungan", "Lingkungan & Utilitas", "Environment & utilities", "leaf"),
    ("keuangan", "Perbankan", "Banking", "bank"),
    ("pengaduan", "Pengaduan & Informasi", "Complaints & information", "megaphone"),
]

# --- Requirements used by many services: (Indonesian, English[, only in some cases]) -----------
KTP = ("KTP-el asli", "Original e-KTP (KTP-el)")
KK = ("Kartu Keluarga (KK)", "Family card (KK)")
KTP_ORTU = ("KTP-el kedua orang tua", "Both parents' e-KTP")
KK_ORTU = ("Kartu Keluarga (KK) orang tua", "Parents' family card (KK)")
AKTA_LAHIR = ("Akta kelahiran", "Birth certificate")
FOTO_3X4 = ("Pas foto 3×4 berwarna (2 lembar)", "Two 3×4 colour passport photos")
NIB = ("Nomor Induk Berusaha (NIB)", "Business identification number (NIB)")
NPWP = ("NPWP (jika ada)", "Tax number, NPWP (if any)", True)
EMAIL_HP = ("Alamat email dan nomor HP aktif", "A working email address and mobile number")
SPPT = (
    "SPPT PBB tahun berjalan atau Nomor Objek Pajak (NOP)",
    "This year's PBB bill (SPPT) or the tax object number (NOP)",
)
KARTU_JKN = (
    "Kartu JKN-KIS / nomor peserta BPJS Kesehatan",
    "JKN-KIS card or BPJS Kesehatan member number",
)
AKTA_MATI = ("Akta kematian", "Death certificate")
BUKU_TABUNGAN = (
    "Buku tabungan atas nama peserta atau ahli waris",
    "Savings-account book in the member's or heir's name",
)
SURAT_KUASA = (
    "Surat kuasa bermeterai, jika diwakilkan",
    "A stamped power of attorney, if someone applies for you",
    True,
)

ADMINDUK = (
    "UU No. 23 Tahun 2006 jo. UU No. 24 Tahun 2013 tentang Administrasi Kependudukan; "
    "Perpres No. 96 Tahun 2018; Permendagri No. 108 Tahun 2019"
)
PAJAK_DAERAH = (
    "UU No. 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan "
    "Daerah; Perda Kota Balikpapan No. 8 Tahun 2023 tentang Pajak Daerah dan Retribusi Daerah"
)
OSS = "PP No. 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko"
PNBP_POLRI = "PP No. 76 Tahun 2020 tentang Jenis dan Tarif PNBP yang Berlaku pada Polri"
JKN = "UU No. 40 Tahun 2004 tentang SJSN; UU No. 24 Tahun 2011 tentang BPJS; Perpres No. 82 Tahun 2018 tentang Jaminan Kesehatan"
BPJS_TK = "UU No. 40 Tahun 2004 tentang SJSN; UU No. 24 Tahun 2011 tentang BPJS"
KESEHATAN = "UU No. 17 Tahun 2023 tentang Kesehatan"
PELAYANAN_PUBLIK = "UU No. 25 Tahun 2009 tentang Pelayanan Publik"
SISDIKNAS = "UU No. 20 Tahun 2003 tentang Sistem Pendidikan Nasional"
PATEN = "Permendagri No. 4 Tahun 2010 tentang Pedoman Pelayanan Administrasi Terpadu Kecamatan"


def _service(
    code: str,
    agency: str,
    category: str,
    name: tuple[str, str],
    description: tuple[str, str],
    *,
    requirements: list,
    fee: int | None,
    fee_note: tuple[str, str] = ("", ""),
    sla: tuple[int, str] | None = None,
    module: str = "",
    mpp: bool = False,
    office: bool = True,
    legal: str = "",
    keywords: str = "",
    popularity: int = 0,
    how_to: tuple[str, str] = ("", ""),
    contact: str = "",
) -> dict:
    return {
        "code": code,
        "agency": agency,
        "category": category,
        "name_id": name[0],
        "name_en": name[1],
        "description_id": description[0],
        "description_en": description[1],
        "requirements": requirements,
        "fee": fee,
        "fee_note_id": fee_note[0],
        "fee_note_en": fee_note[1],
        "sla_amount": sla[0] if sla else None,
        "sla_unit": sla[1] if sla else "",
        "module_slug": module,
        "at_mpp": mpp,
        "at_office": office,
        "legal_basis": legal,
        "keywords": keywords,
        "popularity": popularity,
        "how_to_id": how_to[0],
        "how_to_en": how_to[1],
        "contact": contact,
    }


WD = "working_days"

SERVICES = [
    # --- Disdukcapil: the seven online ones (module pencatatan-sipil) ---------------------------
    _service(
        "akta_kelahiran",
        "disdukcapil",
        "kependudukan",
        ("Akta Kelahiran", "Birth certificate"),
        (
            "Pencatatan kelahiran dan penerbitan akta kelahiran untuk bayi yang lahir atau anak "
            "yang belum memiliki akta. Ajukan di aplikasi; akta elektronik dapat dicetak sendiri.",
            "Registration of a birth and issue of the birth certificate, for a newborn or a child "
            "who has none yet. Apply in the app; the electronic certificate can be printed at home.",
        ),
        requirements=[
            (
                "Surat keterangan kelahiran dari rumah sakit, puskesmas, klinik atau bidan",
                "Birth notification from the hospital, puskesmas, clinic or midwife",
            ),
            KK_ORTU,
            KTP_ORTU,
            (
                "Buku nikah atau akta perkawinan orang tua",
                "Parents' marriage book or marriage certificate",
                True,
            ),
            (
                "SPTJM kebenaran data kelahiran, jika tidak ada surat keterangan kelahiran",
                "A signed statement of the birth (SPTJM) if there is no birth notification",
                True,
            ),
        ],
        fee=0,
        sla=(1, WD),
        module="pencatatan-sipil",
        mpp=True,
        legal=ADMINDUK,
        keywords="akte lahir, akte kelahiran, akta lahir, surat lahir, bayi lahir, anak lahir, "
        "newborn, birth certificate, birth registration, lahiran",
        popularity=950,
    ),
    _service(
        "kk",
        "disdukcapil",
        "kependudukan",
        ("Kartu Keluarga (KK) baru atau perubahan", "Family card (KK): new or updated"),
        (
            "Penerbitan KK baru (menikah, pecah KK) atau perubahan isi KK karena kelahiran, "
            "kematian, pindah atau perubahan data anggota keluarga.",
            "A new family card (after marriage, or splitting a household) or an updated one after "
            "a birth, a death, a move or a change in a family member's data.",
        ),
        requirements=[
            ("KK lama", "The current family card (KK)"),
            (
                "Buku nikah atau akta perkawinan, untuk KK pasangan baru",
                "Marriage book or certificate, for a newly married couple's KK",
                True,
            ),
            (
                "Dokumen peristiwa yang mengubah data (akta kelahiran, akta kematian, surat pindah)",
                "The document of the change (birth or death certificate, moving letter)",
                True,
            ),
            KTP,
        ],
        fee=0,
        sla=(1, WD),
        module="pencatatan-sipil",
        mpp=True,
        legal=ADMINDUK,
        keywords="kartu keluarga, kk baru, ubah kk, update kk, tambah anggota keluarga, pecah kk, "
        "family card, household card",
        popularity=900,
    ),
    _service(
        "kia",
        "disdukcapil",
        "kependudukan",
        ("Kartu Identitas Anak (KIA)", "Child identity card (KIA)"),
        (
            "Kartu identitas untuk anak di bawah 17 tahun yang belum menikah.",
            "The identity card of children under 17 who are not married.",
        ),
        requirements=[
            ("Akta kelahiran anak", "The child's birth certificate"),
            KK_ORTU,
            KTP_ORTU,
            (
                "Pas foto anak berwarna 2×3, untuk anak usia 5 tahun ke atas",
                "A 2×3 colour photo of the child, for children aged 5 and over",
                True,
            ),
        ],
        fee=0,
        sla=(1, WD),
        module="pencatatan-sipil",
        mpp=True,
        legal=ADMINDUK + "; Permendagri No. 2 Tahun 2016 tentang Kartu Identitas Anak",
        keywords="kartu anak, kartu identitas anak, ktp anak, child id card, child identity card",
        popularity=500,
    ),
    _service(
        "pindah_datang",
        "disdukcapil",
        "kependudukan",
        ("Pindah datang ke Balikpapan", "Registering your move to Balikpapan"),
        (
            "Pencatatan penduduk yang pindah ke Balikpapan dari kota lain, termasuk pendatang "
            "yang bekerja untuk IKN. Hasilnya KK dan KTP-el dengan alamat Balikpapan.",
            "Registration of residents moving to Balikpapan from another city, including newcomers "
            "working for the new capital (IKN). You receive a KK and e-KTP with your Balikpapan "
            "address.",
        ),
        requirements=[
            (
                "Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI) dari daerah asal",
                "The moving letter (SKPWNI) from your previous city",
            ),
            KTP,
            ("KK dari daerah asal", "The family card (KK) from your previous city"),
            (
                "Alamat lengkap tempat tinggal di Balikpapan (RT, kelurahan, kecamatan)",
                "Your full Balikpapan address (RT, kelurahan, kecamatan)",
            ),
        ],
        fee=0,
        sla=(1, WD),
        module="pencatatan-sipil",
        mpp=True,
        legal=ADMINDUK,
        keywords="pindah datang, pendatang, pindah ke balikpapan, surat pindah, skpwni, domisili, "
        "ikn, ibu kota nusantara, moving to balikpapan, newcomer, relocation, change address",
        popularity=700,
    ),
    _service(
        "pindah_keluar",
        "disdukcapil",
        "kependudukan",
        ("Pindah keluar dari Balikpapan (SKPWNI)", "Moving out of Balikpapan (SKPWNI)"),
        (
            "Penerbitan Surat Keterangan Pindah (SKPWNI) bagi penduduk Balikpapan yang pindah ke "
            "kota atau kabupaten lain.",
            "The moving letter (SKPWNI) for Balikpapan residents moving to another city or regency.",
        ),
        requirements=[
            KK,
            KTP,
            ("Alamat lengkap tujuan pindah", "The full address you are moving to"),
        ],
        fee=0,
        sla=(1, WD),
        module="pencatatan-sipil",
        mpp=True,
        legal=ADMINDUK,
        keywords="surat pindah, skpwni, pindah keluar, pindah domisili, moving out, moving letter",
        popularity=300,
    ),
    _service(
        "ktp_el_cetak_ulang",
        "disdukcapil",
        "kependudukan",
        (
            "Cetak ulang KTP-el (hilang, rusak, perubahan data)",
            "e-KTP reprint (lost, damaged, changed data)",
        ),
        (
            "Penggantian KTP-el yang hilang atau rusak, atau cetak ulang karena perubahan data "
            "seperti alamat, status perkawinan atau pekerjaan.",
            "Replacement of a lost or damaged e-KTP, or a reprint after a change of address, "
            "marital status or occupation.",
        ),
        requirements=[
            KK,
            ("KTP-el yang rusak, untuk KTP-el rusak", "The damaged e-KTP, if it is damaged", True),
            (
                "Surat keterangan kehilangan dari kepolisian, untuk KTP-el hilang",
                "A police loss report, if it was lost",
                True,
            ),
            (
                "Dokumen perubahan data (buku nikah, akta cerai, surat pindah)",
                "The document of the change (marriage book, divorce certificate, moving letter)",
                True,
            ),
        ],
        fee=0,
        sla=(1, WD),
        module="pencatatan-sipil",
        mpp=True,
        legal=ADMINDUK,
        keywords="ktp hilang, ktp rusak, ganti ktp, cetak ktp, ktp baru, ubah alamat ktp, e-ktp, "
        "lost id card, replace id card, damaged id card, identity card",
        popularity=880,
    ),
    _service(
        "akta_kematian",
        "disdukcapil",
        "kependudukan",
        ("Akta Kematian", "Death certificate"),
        (
            "Pencatatan kematian dan penerbitan akta kematian; KK keluarga diperbarui sekaligus.",
            "Registration of a death and issue of the death certificate; the family card is "
            "updated at the same time.",
        ),
        requirements=[
            (
                "Surat keterangan kematian dari rumah sakit, puskesmas atau kelurahan",
                "Death notification from the hospital, puskesmas or kelurahan",
            ),
            ("KK almarhum/almarhumah", "The deceased's family card (KK)"),
            ("KTP-el almarhum/almarhumah", "The deceased's e-KTP"),
            ("KTP-el pelapor", "The e-KTP of the person reporting"),
        ],
        fee=0,
        sla=(1, WD),
        module="pencatatan-sipil",
        mpp=True,
        legal=ADMINDUK,
        keywords="akte kematian, akta mati, surat kematian, meninggal dunia, wafat, "
        "death certificate, death registration",
        popularity=400,
    ),
    # --- Disdukcapil: at the counter --------------------------------------------------------
    _service(
        "ktp_el_rekam",
        "disdukcapil",
        "kependudukan",
        ("Perekaman KTP-el pemula", "First e-KTP (recording at 17)"),
        (
            "Perekaman data biometrik (foto, sidik jari, iris) untuk KTP-el pertama bagi penduduk "
            "yang berusia 17 tahun atau sudah menikah.",
            "Recording of photo, fingerprints and iris for the first e-KTP, for residents who are "
            "17 or married.",
        ),
        requirements=[
            KK,
            (
                "Berusia 17 tahun atau sudah/pernah menikah",
                "Aged 17, or married now or before",
            ),
        ],
        fee=0,
        sla=(1, WD),
        mpp=True,
        legal=ADMINDUK,
        keywords="rekam ktp, ktp pertama, ktp pemula, umur 17, e-ktp baru, first id card",
        popularity=450,
    ),
    _service(
        "identitas_kependudukan_digital",
        "disdukcapil",
        "kependudukan",
        ("Aktivasi Identitas Kependudukan Digital (IKD)", "Digital ID (IKD) activation"),
        (
            "Aktivasi KTP digital di aplikasi IKD, dengan verifikasi wajah oleh petugas.",
            "Activation of the digital ID in the IKD app, with a face check by the officer.",
        ),
        requirements=[
            KTP,
            ("Ponsel dengan aplikasi IKD terpasang", "A phone with the IKD app installed"),
            EMAIL_HP,
        ],
        fee=0,
        sla=(1, "hours"),
        mpp=True,
        legal=ADMINDUK + "; Permendagri No. 72 Tahun 2022",
        keywords="ikd, ktp digital, identitas digital, digital id",
        popularity=200,
    ),
    _service(
        "akta_perkawinan",
        "disdukcapil",
        "kependudukan",
        ("Akta Perkawinan (non-Muslim)", "Marriage certificate (non-Muslim)"),
        (
            "Pencatatan perkawinan bagi pasangan non-Muslim setelah pemberkatan atau upacara agama.",
            "Civil registration of the marriage of non-Muslim couples after the religious "
            "ceremony.",
        ),
        requirements=[
            (
                "Surat keterangan perkawinan dari pemuka agama",
                "Marriage statement from the religious leader",
            ),
            ("KTP-el dan KK kedua mempelai", "Both spouses' e-KTP and KK"),
            ("Akta kelahiran kedua mempelai", "Both spouses' birth certificates"),
            ("Pas foto berdampingan 4×6", "A 4×6 photo of the couple side by side"),
            ("Dua orang saksi dengan KTP-el", "Two witnesses with their e-KTP"),
        ],
        fee=0,
        sla=(1, WD),
        mpp=True,
        legal=ADMINDUK,
        keywords="akte nikah, akte perkawinan, catatan sipil nikah, pernikahan, menikah, kawin, "
        "marriage certificate, wedding",
        popularity=150,
    ),
    _service(
        "akta_perceraian",
        "disdukcapil",
        "kependudukan",
        ("Akta Perceraian (non-Muslim)", "Divorce certificate (non-Muslim)"),
        (
            "Pencatatan perceraian berdasarkan putusan pengadilan yang telah berkekuatan hukum tetap.",
            "Registration of a divorce after a final court decision.",
        ),
        requirements=[
            (
                "Salinan putusan pengadilan yang berkekuatan hukum tetap",
                "A copy of the final court decision",
            ),
            ("Akta perkawinan asli", "The original marriage certificate"),
            KTP,
            KK,
        ],
        fee=0,
        sla=(1, WD),
        mpp=True,
        legal=ADMINDUK,
        keywords="akte cerai, cerai, perceraian, divorce certificate",
        popularity=40,
    ),
    _service(
        "legalisasi_dokumen_kependudukan",
        "disdukcapil",
        "kependudukan",
        ("Legalisasi dokumen kependudukan", "Certified copies of civil-registry documents"),
        (
            "Legalisasi fotokopi KK, akta kelahiran, akta kematian dan dokumen kependudukan lain.",
            "Certification of copies of the KK, birth and death certificates and other civil "
            "documents.",
        ),
        requirements=[
            ("Dokumen asli", "The original document"),
            ("Fotokopi dokumen yang akan dilegalisasi", "Copies to be certified"),
        ],
        fee=0,
        sla=(1, WD),
        mpp=True,
        legal=ADMINDUK,
        keywords="legalisir, legalisasi, fotokopi akta, certified copy, stamp copy",
        popularity=120,
    ),
    # --- DPMPTSP --------------------------------------------------------------------------------
    _service(
        "nib",
        "dpmptsp",
        "perizinan",
        ("Nomor Induk Berusaha (NIB) lewat OSS", "Business identification number (NIB) via OSS"),
        (
            "NIB adalah identitas dan izin dasar usaha, diterbitkan lewat sistem OSS-RBA. Petugas "
            "MPP membantu pendaftaran bagi usaha mikro dan kecil.",
            "The NIB is a business's identity and basic licence, issued through the OSS-RBA "
            "system. MPP officers help micro and small businesses register.",
        ),
        requirements=[
            KTP,
            NPWP,
            EMAIL_HP,
            ("Alamat dan jenis usaha", "The business address and activity"),
        ],
        fee=0,
        sla=(1, WD),
        mpp=True,
        legal=OSS,
        keywords="izin usaha, ijin usaha, nib, oss, daftar usaha, buka usaha, umkm, siup, "
        "business license, business permit, start a business",
        popularity=800,
    ),
    _service(
        "pbg",
        "dpmptsp",
        "pertanahan",
        ("Persetujuan Bangunan Gedung (PBG)", "Building approval (PBG)"),
        (
            "Persetujuan sebelum membangun, mengubah atau merawat bangunan gedung (pengganti IMB), "
            "diajukan lewat SIMBG.",
            "Approval before building, altering or renovating a building (formerly the IMB), "
            "applied for through SIMBG.",
        ),
        requirements=[
            KTP,
            ("Bukti kepemilikan tanah (sertifikat)", "Proof of land ownership (certificate)"),
            ("Gambar rencana teknis bangunan", "The building's technical drawings"),
            SPPT,
        ],
        fee=None,
        fee_note=(
            "Retribusi PBG dihitung dari luas, fungsi dan kompleksitas bangunan",
            "The PBG levy depends on the building's area, use and complexity",
        ),
        sla=(28, WD),
        mpp=True,
        legal="PP No. 16 Tahun 2021 tentang Bangunan Gedung; " + PAJAK_DAERAH,
        keywords="imb, izin mendirikan bangunan, izin bangun rumah, pbg, simbg, building permit",
        popularity=350,
    ),
    _service(
        "slf",
        "dpmptsp",
        "pertanahan",
        ("Sertifikat Laik Fungsi (SLF)", "Certificate of building fitness (SLF)"),
        (
            "Sertifikat bahwa bangunan yang selesai dibangun laik digunakan sesuai fungsinya.",
            "Certificate that a finished building is fit for its intended use.",
        ),
        requirements=[
            ("Dokumen PBG", "The building approval (PBG)"),
            ("Laporan pemeriksaan kelaikan fungsi", "The building inspection report"),
            KTP,
        ],
        fee=None,
        fee_note=("Sesuai retribusi daerah", "As set by the regional levy"),
        mpp=True,
        legal="PP No. 16 Tahun 2021 tentang Bangunan Gedung",
        keywords="slf, laik fungsi, occupancy certificate",
        popularity=60,
    ),
    _service(
        "izin_reklame",
        "dpmptsp",
        "perizinan",
        ("Izin penyelenggaraan reklame", "Billboard and advertising permit"),
        (
            "Izin memasang reklame, papan nama usaha, baliho atau spanduk di Balikpapan.",
            "Permit to put up advertising, shop signs, billboards or banners in Balikpapan.",
        ),
        requirements=[
            KTP,
            NIB,
            ("Desain, ukuran dan titik lokasi reklame", "The design, size and location"),
        ],
        fee=None,
        fee_note=("Pajak reklame sesuai ukuran dan lokasi", "Advertising tax by size and place"),
        sla=(5, WD),
        mpp=True,
        legal=PAJAK_DAERAH,
        keywords="reklame, baliho, billboard, spanduk, papan nama, neon box, advertising, signage",
        popularity=150,
    ),
    _service(
        "sip_tenaga_kesehatan",
        "dpmptsp",
        "perizinan",
        ("Surat Izin Praktik (SIP) tenaga kesehatan", "Practice licence for health workers (SIP)"),
        (
            "Izin praktik bagi dokter, dokter gigi, bidan, perawat dan tenaga kesehatan lain di "
            "Balikpapan.",
            "Practice licence for doctors, dentists, midwives, nurses and other health workers "
            "in Balikpapan.",
        ),
        requirements=[
            ("Surat Tanda Registrasi (STR) yang berlaku", "A valid registration certificate (STR)"),
            ("Surat keterangan tempat praktik", "Letter from the place of practice"),
            KTP,
            FOTO_3X4,
        ],
        fee=0,
        sla=(5, WD),
        mpp=True,
        legal=KESEHATAN,
        keywords="sip, izin praktik, izin praktek, dokter, bidan, perawat, practice license",
        popularity=120,
    ),
    # --- BPPDRD (taxes; pbb and retribusi online with the payments module) -------------------
    _service(
        "pbb",
        "bppdrd",
        "pajak-retribusi",
        (
            "Pajak Bumi dan Bangunan (PBB-P2): cek dan bayar",
            "Land and building tax (PBB-P2): check and pay",
        ),
        (
            "Cek tagihan PBB-P2 dengan NOP dan bayar lewat QRIS di aplikasi, di loket "
            "Bankaltimtara atau di kantor BPPDRD.",
            "Look up your land and building tax bill by its NOP and pay it with QRIS in the app, "
            "at a Bankaltimtara counter or at the BPPDRD office.",
        ),
        requirements=[SPPT],
        fee=None,
        fee_note=(
            "Sesuai tagihan pada SPPT; tanpa biaya layanan",
            "The amount on your SPPT bill; no service charge",
        ),
        sla=(5, "minutes"),
        module="pembayaran",
        mpp=True,
        legal=PAJAK_DAERAH,
        keywords="pbb, pajak bumi dan bangunan, pajak rumah, pajak tanah, sppt, nop, bayar pajak, "
        "property tax, land tax, house tax",
        popularity=850,
    ),
    _service(
        "retribusi",
        "bppdrd",
        "pajak-retribusi",
        ("Pembayaran retribusi daerah", "Paying regional levies (retribusi)"),
        (
            "Bayar tagihan retribusi daerah — kebersihan, pasar, parkir dan lainnya — lewat QRIS di "
            "aplikasi atau di loket.",
            "Pay regional levies — waste collection, market stalls, parking and more — with QRIS "
            "in the app or at a counter.",
        ),
        requirements=[("Nomor tagihan retribusi", "The levy bill number")],
        fee=None,
        fee_note=("Sesuai tagihan; tanpa biaya layanan", "The billed amount; no service charge"),
        sla=(5, "minutes"),
        module="pembayaran",
        mpp=True,
        legal=PAJAK_DAERAH,
        keywords="retribusi, bayar retribusi, retribusi sampah, retribusi pasar, levy, fee payment",
        popularity=400,
    ),
    _service(
        "bphtb",
        "bppdrd",
        "pajak-retribusi",
        (
            "Bea Perolehan Hak atas Tanah dan Bangunan (BPHTB)",
            "Land and building acquisition duty (BPHTB)",
        ),
        (
            "Penelitian dan validasi BPHTB yang wajib dibayar pembeli saat jual beli, hibah atau "
            "waris tanah dan bangunan.",
            "Checking and validating the duty a buyer pays when land or a building is bought, "
            "given or inherited.",
        ),
        requirements=[
            ("Formulir SSPD BPHTB yang telah diisi", "The completed BPHTB form (SSPD)"),
            SPPT,
            ("Bukti lunas PBB 5 tahun terakhir", "Proof of PBB paid for the last five years"),
            KTP,
            ("Fotokopi sertifikat tanah", "A copy of the land certificate"),
        ],
        fee=None,
        fee_note=(
            "5% dari nilai perolehan setelah dikurangi NPOPTKP",
            "5% of the acquisition value above the tax-free threshold (NPOPTKP)",
        ),
        sla=(3, WD),
        mpp=True,
        legal=PAJAK_DAERAH,
        keywords="bphtb, jual beli tanah, pajak jual beli, balik nama, hibah, waris, "
        "land transfer tax, property purchase",
        popularity=200,
    ),
    _service(
        "pbb_mutasi",
        "bppdrd",
        "pajak-retribusi",
        ("Mutasi atau balik nama objek PBB", "Transferring a PBB tax object to a new owner"),
        (
            "Perubahan nama wajib pajak pada SPPT PBB setelah jual beli, hibah atau waris, "
            "dan pemecahan atau penggabungan objek.",
            "Changing the taxpayer's name on the PBB bill after a sale, gift or inheritance, "
            "and splitting or merging tax objects.",
        ),
        requirements=[
            SPPT,
            ("Akta jual beli, hibah atau surat waris", "The deed of sale, gift or inheritance"),
            ("Fotokopi sertifikat tanah", "A copy of the land certificate"),
            KTP,
        ],
        fee=0,
        sla=(10, WD),
        mpp=True,
        legal=PAJAK_DAERAH,
        keywords="balik nama pbb, mutasi pbb, ganti nama sppt, pecah nop, change owner property tax",
        popularity=180,
    ),
    _service(
        "pbb_keberatan",
        "bppdrd",
        "pajak-retribusi",
        ("Keberatan dan pengurangan PBB", "PBB objection or reduction"),
        (
            "Keberatan atas nilai PBB yang ditetapkan, atau permohonan pengurangan bagi wajib "
            "pajak yang kesulitan membayar.",
            "An objection to the assessed land and building tax, or a request for a reduction "
            "for taxpayers who cannot afford it.",
        ),
        requirements=[
            SPPT,
            ("Surat permohonan dengan alasan", "A letter stating the reasons"),
            KTP,
        ],
        fee=0,
        sla=(30, WD),
        mpp=True,
        legal=PAJAK_DAERAH,
        keywords="keberatan pbb, pengurangan pbb, keringanan pajak, tax objection, tax reduction",
        popularity=80,
    ),
    _service(
        "npwpd",
        "bppdrd",
        "pajak-retribusi",
        (
            "Pendaftaran wajib pajak daerah (NPWPD)",
            "Registering for regional taxes (NPWPD)",
        ),
        (
            "Pendaftaran usaha hotel, restoran, hiburan, parkir dan lainnya sebagai wajib pajak "
            "daerah.",
            "Registration of hotels, restaurants, entertainment, parking and other businesses "
            "as regional taxpayers.",
        ),
        requirements=[KTP, NIB, ("Alamat dan jenis usaha", "The business address and activity")],
        fee=0,
        sla=(1, WD),
        mpp=True,
        legal=PAJAK_DAERAH,
        keywords="npwpd, pajak restoran, pajak hotel, pajak hiburan, pajak parkir, pajak daerah, "
        "restaurant tax",
        popularity=90,
    ),
    # --- Health --------------------------------------------------------------------------------
    _service(
        "antrean_puskesmas",
        "dkk",
        "kesehatan",
        ("Antrean puskesmas", "Puskesmas queue ticket"),
        (
            "Ambil nomor antrean poli di puskesmas dari aplikasi dan datang sesuai perkiraan "
            "waktu dipanggil.",
            "Take a queue number for a puskesmas clinic in the app and arrive when your turn is "
            "near.",
        ),
        requirements=[
            ("KTP-el atau KIA pasien", "The patient's e-KTP or child ID (KIA)"),
            (
                "Kartu JKN-KIS, untuk peserta BPJS Kesehatan",
                "JKN-KIS card, for BPJS Kesehatan members",
                True,
            ),
        ],
        fee=0,
        fee_note=(
            "gratis bagi peserta JKN; pasien umum sesuai tarif retribusi puskesmas",
            "free for JKN members; others pay the puskesmas tariff",
        ),
        module="kesehatan",
        office=True,
        legal=KESEHATAN + "; Permenkes No. 43 Tahun 2019 tentang Puskesmas",
        keywords="antri puskesmas, nomor antrean, berobat, periksa dokter, poli, klinik, "
        "doctor appointment, clinic queue, health centre",
        popularity=750,
        how_to=(
            "Pilih puskesmas dan poli di aplikasi, ambil nomor, lalu datang ke puskesmas sebelum "
            "nomor Anda dipanggil.",
            "Choose the puskesmas and clinic in the app, take a number, and come before your "
            "number is called.",
        ),
    ),
    _service(
        "imunisasi",
        "dkk",
        "kesehatan",
        ("Imunisasi anak", "Child immunisation"),
        (
            "Imunisasi dasar dan lanjutan untuk bayi dan anak di puskesmas dan posyandu.",
            "Routine immunisation of babies and children at puskesmas and posyandu.",
        ),
        requirements=[
            ("Buku KIA (kesehatan ibu dan anak)", "The mother-and-child health book (buku KIA)"),
            KK,
        ],
        fee=0,
        legal=KESEHATAN,
        keywords="imunisasi, vaksin, vaksinasi, posyandu, bayi, vaccine, vaccination",
        popularity=300,
    ),
    _service(
        "surat_keterangan_sehat",
        "dkk",
        "kesehatan",
        ("Surat keterangan sehat", "Health certificate"),
        (
            "Pemeriksaan dan surat keterangan sehat dari dokter puskesmas, misalnya untuk melamar "
            "kerja atau sekolah.",
            "A check-up and health certificate from a puskesmas doctor, e.g. for a job or school "
            "application.",
        ),
        requirements=[KTP],
        fee=None,
        fee_note=("Sesuai tarif retribusi puskesmas", "The puskesmas tariff"),
        sla=(1, "hours"),
        legal=KESEHATAN,
        keywords="surat sehat, keterangan sehat, surat dokter, medical certificate, health check",
        popularity=250,
    ),
    _service(
        "spp_irt",
        "dkk",
        "perizinan",
        (
            "Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)",
            "Home food production certificate (SPP-IRT)",
        ),
        (
            "Izin edar untuk makanan dan minuman olahan rumahan, diajukan lewat OSS dan "
            "diverifikasi Dinas Kesehatan.",
            "Licence to sell home-made processed food and drinks, applied for through OSS and "
            "verified by the health office.",
        ),
        requirements=[
            NIB,
            (
                "Sertifikat penyuluhan keamanan pangan",
                "Food safety training certificate",
            ),
            ("Rancangan label produk", "The product label design"),
        ],
        fee=0,
        sla=(14, WD),
        mpp=True,
        legal=OSS + "; " + KESEHATAN,
        keywords="pirt, p-irt, spp-irt, izin makanan rumahan, izin pangan, home food license, "
        "food permit",
        popularity=220,
    ),
    _service(
        "sertifikat_laik_higiene",
        "dkk",
        "kesehatan",
        (
            "Sertifikat laik higiene sanitasi (SLHS)",
            "Hygiene and sanitation certificate (SLHS)",
        ),
        (
            "Sertifikat bagi rumah makan, jasa boga dan depot air minum yang memenuhi syarat "
            "higiene sanitasi.",
            "Certificate for restaurants, caterers and drinking-water depots that meet hygiene "
            "rules.",
        ),
        requirements=[
            NIB,
            (
                "Hasil uji laboratorium sampel makanan atau air",
                "Lab results of food or water samples",
            ),
            ("Sertifikat kursus penjamah makanan", "Food handler course certificate"),
        ],
        fee=None,
        fee_note=("Sesuai retribusi daerah", "As set by the regional levy"),
        sla=(14, WD),
        mpp=True,
        legal=KESEHATAN,
        keywords="slhs, laik higiene, depot air minum, rumah makan, katering, hygiene certificate",
        popularity=90,
    ),
    _service(
        "rawat_jalan_rsud",
        "rsud-beriman",
        "kesehatan",
        ("Pendaftaran rawat jalan RSUD Beriman", "Outpatient registration at RSUD Beriman"),
        (
            "Pendaftaran pemeriksaan di poliklinik spesialis RSUD Beriman, rumah sakit milik Kota "
            "Balikpapan.",
            "Registration for a specialist clinic at RSUD Beriman, the city's own hospital.",
        ),
        requirements=[
            KTP,
            KARTU_JKN,
            (
                "Surat rujukan dari puskesmas atau klinik, untuk peserta JKN",
                "A referral letter from a puskesmas or clinic, for JKN members",
                True,
            ),
        ],
        fee=None,
        fee_note=(
            "Ditanggung JKN bagi peserta; pasien umum sesuai tarif rumah sakit",
            "Covered by JKN for members; others pay the hospital tariff",
        ),
        legal=KESEHATAN,
        keywords="rumah sakit, rsud, poliklinik, dokter spesialis, rujukan, hospital, outpatient",
        popularity=300,
    ),
    # --- BPJS Kesehatan --------------------------------------------------------------------------
    _service(
        "bpjs_kesehatan_daftar",
        "bpjs-kesehatan",
        "kesehatan",
        ("Pendaftaran peserta JKN (BPJS Kesehatan)", "Joining the national health insurance (JKN)"),
        (
            "Pendaftaran peserta Jaminan Kesehatan Nasional bagi pekerja mandiri dan keluarganya.",
            "Joining the national health insurance (JKN) as a self-employed person, with your "
            "family.",
        ),
        requirements=[
            KTP,
            KK,
            EMAIL_HP,
            ("Nomor rekening untuk autodebet iuran", "A bank account for the monthly direct debit"),
        ],
        fee=0,
        fee_note=(
            "iuran bulanan sesuai kelas yang dipilih",
            "then a monthly contribution by the class chosen",
        ),
        sla=(1, "hours"),
        mpp=True,
        legal=JKN,
        keywords="daftar bpjs, bpjs kesehatan, jkn, kis, asuransi kesehatan, health insurance",
        popularity=780,
    ),
    _service(
        "bpjs_kesehatan_bayi",
        "bpjs-kesehatan",
        "kesehatan",
        ("Pendaftaran bayi baru lahir ke JKN", "Adding a newborn to the JKN health insurance"),
        (
            "Pendaftaran bayi sebagai peserta JKN, sebaiknya dalam 28 hari setelah lahir.",
            "Registering a baby for the JKN health insurance, best within 28 days of birth.",
        ),
        requirements=[
            ("KK yang sudah memuat bayi", "The KK listing the baby"),
            (
                "Akta kelahiran atau surat keterangan lahir",
                "Birth certificate or birth notification",
            ),
            ("Kartu JKN-KIS orang tua", "The parents' JKN-KIS cards"),
        ],
        fee=0,
        sla=(1, "hours"),
        mpp=True,
        legal=JKN,
        keywords="bpjs bayi, daftar bayi, bayi baru lahir, jkn bayi, newborn insurance, baby",
        popularity=260,
    ),
    _service(
        "bpjs_kesehatan_ubah_data",
        "bpjs-kesehatan",
        "kesehatan",
        (
            "Perubahan data dan pindah faskes JKN",
            "Changing your JKN data or health centre (FKTP)",
        ),
        (
            "Perubahan alamat, data peserta, atau fasilitas kesehatan tingkat pertama (puskesmas "
            "atau klinik), misalnya setelah pindah ke Balikpapan.",
            "Changing your address, member data or first-level health centre (puskesmas or "
            "clinic), e.g. after moving to Balikpapan.",
        ),
        requirements=[KTP, KK, KARTU_JKN],
        fee=0,
        sla=(1, "hours"),
        mpp=True,
        legal=JKN,
        keywords="pindah faskes, ganti puskesmas, ubah data bpjs, pindah bpjs, change health "
        "centre, update insurance",
        popularity=330,
    ),
    _service(
        "bpjs_kesehatan_peserta_meninggal",
        "bpjs-kesehatan",
        "kesehatan",
        ("Pelaporan peserta JKN meninggal dunia", "Reporting the death of a JKN member"),
        (
            "Penonaktifan kepesertaan JKN anggota keluarga yang meninggal agar iuran berhenti.",
            "Ending the JKN membership of a family member who died, so that contributions stop.",
        ),
        requirements=[AKTA_MATI, KK, KARTU_JKN],
        fee=0,
        sla=(1, "hours"),
        mpp=True,
        legal=JKN,
        keywords="bpjs meninggal, nonaktif bpjs, hapus peserta, member died",
        popularity=70,
    ),
    # --- BPJS Ketenagakerjaan -------------------------------------------------------------------
    _service(
        "bpjs_tk_bpu",
        "bpjs-ketenagakerjaan",
        "ketenagakerjaan",
        (
            "Pendaftaran BPJS Ketenagakerjaan pekerja mandiri",
            "Workers' social security for the self-employed",
        ),
        (
            "Perlindungan kecelakaan kerja, kematian dan hari tua untuk pekerja bukan penerima "
            "upah: pedagang, pengemudi, nelayan, pelaku UMKM.",
            "Work-accident, death and old-age cover for the self-employed: traders, drivers, "
            "fishers, small-business owners.",
        ),
        requirements=[KTP, EMAIL_HP],
        fee=None,
        fee_note=(
            "Iuran bulanan mulai dari program yang dipilih",
            "A monthly contribution by the programmes chosen",
        ),
        sla=(1, "hours"),
        mpp=True,
        legal=BPJS_TK,
        keywords="bpjs ketenagakerjaan, bpjs tk, jamsostek, bpu, pekerja mandiri, ojol, umkm, "
        "workers insurance",
        popularity=300,
    ),
    _service(
        "bpjs_tk_klaim_jht",
        "bpjs-ketenagakerjaan",
        "ketenagakerjaan",
        ("Klaim Jaminan Hari Tua (JHT)", "Old-age savings (JHT) claim"),
        (
            "Pencairan saldo JHT setelah berhenti bekerja, pensiun atau meninggal dunia.",
            "Withdrawing your old-age savings (JHT) after leaving work, retiring or in case of death.",
        ),
        requirements=[
            KTP,
            KK,
            ("Kartu peserta BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan member card"),
            ("Surat keterangan berhenti bekerja (paklaring)", "Proof of leaving your job"),
            BUKU_TABUNGAN,
        ],
        fee=0,
        sla=(5, WD),
        mpp=True,
        legal=BPJS_TK,
        keywords="klaim jht, cairkan jht, pencairan jamsostek, jaminan hari tua, pension savings",
        popularity=400,
    ),
    _service(
        "bpjs_tk_klaim_jkm",
        "bpjs-ketenagakerjaan",
        "ketenagakerjaan",
        ("Klaim Jaminan Kematian (JKM)", "Death benefit (JKM) claim"),
        (
            "Santunan bagi ahli waris peserta BPJS Ketenagakerjaan yang meninggal dunia.",
            "The benefit paid to the heirs of a BPJS Ketenagakerjaan member who died.",
        ),
        requirements=[
            AKTA_MATI,
            KK,
            ("KTP-el ahli waris", "The heir's e-KTP"),
            ("Kartu peserta almarhum/almarhumah", "The deceased's member card"),
            BUKU_TABUNGAN,
        ],
        fee=0,
        sla=(5, WD),
        mpp=True,
        legal=BPJS_TK,
        keywords="jkm, santunan kematian, klaim kematian, ahli waris, death benefit",
        popularity=60,
    ),
    # --- Bankaltimtara ---------------------------------------------------------------------------
    _service(
        "bankaltimtara_setor_pajak",
        "bankaltimtara",
        "keuangan",
        (
            "Pembayaran pajak dan retribusi di loket Bankaltimtara",
            "Paying taxes and levies at the Bankaltimtara counter",
        ),
        (
            "Setoran PBB, BPHTB, pajak dan retribusi daerah lain di loket Bankaltimtara MPP, "
            "bank daerah Kaltim-Kaltara.",
            "Paying PBB, BPHTB and other regional taxes and levies at the MPP counter of "
            "Bankaltimtara, the regional bank.",
        ),
        requirements=[
            ("SPPT, SSPD atau nomor tagihan", "The bill (SPPT, SSPD or bill number)"),
        ],
        fee=0,
        sla=(10, "minutes"),
        mpp=True,
        office=True,
        keywords="bayar pbb di bank, setor pajak, bank kaltimtara, bpd kaltim, teller",
        popularity=700,
    ),
    _service(
        "bankaltimtara_rekening",
        "bankaltimtara",
        "keuangan",
        ("Pembukaan rekening tabungan", "Opening a savings account"),
        (
            "Pembukaan rekening tabungan di Bankaltimtara, termasuk untuk penerima bantuan dan "
            "pembayaran gaji.",
            "Opening a savings account at Bankaltimtara, also for receiving benefits and salaries.",
        ),
        requirements=[KTP, NPWP, ("Setoran awal", "An initial deposit")],
        fee=0,
        sla=(1, "hours"),
        mpp=True,
        keywords="buka rekening, tabungan, rekening bank, bank account, savings",
        popularity=500,
    ),
    # --- Police ------------------------------------------------------------------------------
    _service(
        "skck",
        "polresta",
        "kepolisian",
        (
            "Surat Keterangan Catatan Kepolisian (SKCK)",
            "Police clearance certificate (SKCK)",
        ),
        (
            "Surat keterangan catatan kepolisian untuk melamar kerja, sekolah, atau keperluan lain.",
            "The police record certificate needed for jobs, study and other applications.",
        ),
        requirements=[
            KTP,
            KK,
            ("Akta kelahiran atau ijazah terakhir", "Birth certificate or latest diploma"),
            ("Pas foto 4×6 latar merah (6 lembar)", "Six 4×6 photos on a red background"),
            ("Rumus sidik jari (diambil di Polresta)", "Fingerprint card (taken at the police)"),
        ],
        fee=30000,
        sla=(1, WD),
        mpp=True,
        legal=PNBP_POLRI,
        keywords="skck, surat kelakuan baik, catatan kepolisian, police clearance, "
        "police certificate, good conduct",
        popularity=650,
    ),
    _service(
        "laporan_kehilangan",
        "polresta",
        "kepolisian",
        ("Laporan kehilangan barang atau dokumen", "Reporting lost items or documents"),
        (
            "Surat tanda penerimaan laporan kehilangan, diperlukan untuk mengurus ulang dokumen "
            "yang hilang.",
            "The police receipt of a loss report, needed to replace lost documents.",
        ),
        requirements=[
            ("Identitas pelapor", "Your identity document"),
            ("Keterangan barang atau dokumen yang hilang", "Details of what was lost"),
        ],
        fee=0,
        sla=(1, "hours"),
        legal="UU No. 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia",
        keywords="surat kehilangan, lapor hilang, dompet hilang, dokumen hilang, lost report",
        popularity=350,
    ),
    _service(
        "sim_perpanjangan",
        "polresta",
        "kepolisian",
        ("Perpanjangan SIM", "Driving licence renewal"),
        (
            "Perpanjangan SIM A atau SIM C sebelum masa berlakunya habis, di Satpas Polresta "
            "Balikpapan.",
            "Renewing a car (A) or motorcycle (C) driving licence before it expires, at the "
            "Polresta Balikpapan licensing office.",
        ),
        requirements=[
            KTP,
            ("SIM lama", "The current driving licence"),
            (
                "Surat keterangan sehat jasmani dan rohani",
                "Physical and mental health certificates",
            ),
        ],
        fee=75000,
        fee_note=("SIM C; SIM A Rp 80.000", "licence C; licence A Rp 80,000"),
        sla=(1, WD),
        legal=PNBP_POLRI,
        keywords="sim, perpanjang sim, sim a, sim c, driving licence, driver license renewal",
        popularity=550,
    ),
    # --- Vertical agencies -------------------------------------------------------------------
    _service(
        "paspor",
        "imigrasi",
        "keimigrasian",
        ("Paspor (baru dan penggantian)", "Passport (new and replacement)"),
        (
            "Penerbitan paspor biasa; ambil jadwal kedatangan lewat aplikasi M-Paspor.",
            "Issue of an ordinary passport; book your appointment in the M-Paspor app.",
        ),
        requirements=[
            KTP,
            KK,
            (
                "Akta kelahiran, ijazah atau buku nikah",
                "Birth certificate, diploma or marriage book",
            ),
            ("Paspor lama, untuk penggantian", "The old passport, when replacing it", True),
        ],
        fee=350000,
        fee_note=(
            "paspor biasa 48 halaman; paspor elektronik lebih mahal",
            "ordinary 48-page passport; the electronic passport costs more",
        ),
        sla=(4, WD),
        mpp=True,
        legal="UU No. 6 Tahun 2011 tentang Keimigrasian",
        keywords="paspor, passport, imigrasi, m-paspor, luar negeri, umroh, umrah, haji, travel",
        popularity=600,
    ),
    _service(
        "skhpn",
        "bnn",
        "kepolisian",
        (
            "Surat Keterangan Hasil Pemeriksaan Narkotika (SKHPN)",
            "Drug test certificate (SKHPN)",
        ),
        (
            "Tes urine dan surat keterangan bebas narkotika untuk melamar kerja atau sekolah.",
            "Urine test and drug-free certificate for job or school applications.",
        ),
        requirements=[KTP, FOTO_3X4],
        fee=None,
        fee_note=("Sesuai tarif PNBP BNN", "The BNN state-revenue tariff"),
        sla=(1, WD),
        mpp=True,
        legal="UU No. 35 Tahun 2009 tentang Narkotika",
        keywords="tes narkoba, surat bebas narkoba, skhpn, bnn, tes urine, drug test",
        popularity=260,
    ),
    _service(
        "rehabilitasi_narkotika",
        "bnn",
        "sosial",
        ("Konseling dan rehabilitasi narkotika", "Drug counselling and rehabilitation"),
        (
            "Layanan konseling dan rehabilitasi rawat jalan bagi pecandu dan keluarganya, "
            "dijamin kerahasiaannya.",
            "Confidential counselling and outpatient rehabilitation for people who use drugs and "
            "their families.",
        ),
        requirements=[("Identitas diri", "An identity document")],
        fee=0,
        mpp=True,
        legal="UU No. 35 Tahun 2009 tentang Narkotika",
        keywords="rehab, rehabilitasi, konseling narkoba, kecanduan, addiction, counselling",
        popularity=40,
    ),
    _service(
        "bpom_konsultasi_izin_edar",
        "bpom",
        "perizinan",
        (
            "Konsultasi izin edar pangan olahan dan kosmetik (BPOM)",
            "Advice on food and cosmetics registration (BPOM)",
        ),
        (
            "Pendampingan pendaftaran izin edar BPOM (MD) untuk pangan olahan, obat tradisional "
            "dan kosmetik.",
            "Help registering processed food, traditional medicine and cosmetics with BPOM (MD).",
        ),
        requirements=[NIB, ("Data produk dan label", "Product data and label")],
        fee=0,
        fee_note=(
            "konsultasi; pendaftaran izin edar dikenai PNBP BPOM",
            "for the advice; registration itself has a BPOM fee",
        ),
        mpp=True,
        legal="UU No. 18 Tahun 2012 tentang Pangan",
        keywords="bpom, izin bpom, md, izin edar, kosmetik, food registration",
        popularity=150,
    ),
    _service(
        "bpom_pengaduan_konsumen",
        "bpom",
        "pengaduan",
        ("Pengaduan konsumen obat dan makanan", "Consumer complaints about food and medicines"),
        (
            "Laporan produk obat, makanan atau kosmetik yang diduga ilegal, kedaluwarsa atau "
            "berbahaya.",
            "Report food, medicines or cosmetics suspected to be illegal, expired or unsafe.",
        ),
        requirements=[
            ("Identitas pelapor dan foto produk", "Your identity and a photo of the product")
        ],
        fee=0,
        mpp=True,
        legal="UU No. 8 Tahun 1999 tentang Perlindungan Konsumen",
        keywords="produk ilegal, makanan kedaluwarsa, obat palsu, consumer complaint",
        popularity=30,
    ),
    _service(
        "pengecekan_sertifikat_tanah",
        "atr-bpn",
        "pertanahan",
        ("Pengecekan sertifikat tanah", "Land title check"),
        (
            "Pengecekan kesesuaian sertifikat hak atas tanah dengan buku tanah di Kantor "
            "Pertanahan.",
            "Checking a land title certificate against the land register at the land office.",
        ),
        requirements=[
            ("Sertifikat tanah asli", "The original land certificate"),
            KTP,
            SURAT_KUASA,
        ],
        fee=50000,
        sla=(1, WD),
        mpp=True,
        legal="PP No. 128 Tahun 2015 tentang Jenis dan Tarif PNBP Kementerian ATR/BPN",
        keywords="cek sertifikat, sertipikat tanah, bpn, pertanahan, land certificate check",
        popularity=200,
    ),
    _service(
        "peralihan_hak_tanah",
        "atr-bpn",
        "pertanahan",
        ("Peralihan hak (balik nama) sertifikat tanah", "Transfer of a land title"),
        (
            "Balik nama sertifikat tanah karena jual beli, hibah atau waris, biasanya diajukan "
            "melalui PPAT.",
            "Registering a land title in a new owner's name after a sale, gift or inheritance, "
            "usually through a land deed official (PPAT).",
        ),
        requirements=[
            ("Sertifikat tanah asli", "The original land certificate"),
            (
                "Akta jual beli, hibah atau surat keterangan waris",
                "The deed of sale, gift or inheritance",
            ),
            ("Bukti bayar BPHTB dan PPh", "Proof of BPHTB and income tax paid"),
            KTP,
        ],
        fee=None,
        fee_note=("PNBP sesuai nilai tanah", "A state fee by the land value"),
        mpp=True,
        legal="PP No. 24 Tahun 1997 tentang Pendaftaran Tanah",
        keywords="balik nama sertifikat, jual beli tanah, peralihan hak, hibah tanah, waris tanah, "
        "land title transfer",
        popularity=180,
    ),
    _service(
        "pendaftaran_nikah",
        "kemenag",
        "kependudukan",
        ("Pendaftaran nikah di KUA", "Marriage registration at the KUA (Muslim)"),
        (
            "Pendaftaran dan pencatatan nikah bagi pasangan Muslim di Kantor Urusan Agama "
            "kecamatan; daftarkan paling lambat 10 hari kerja sebelum akad.",
            "Registering a Muslim marriage at the district religious affairs office (KUA), at "
            "least 10 working days before the ceremony.",
        ),
        requirements=[
            (
                "Surat pengantar nikah dari kelurahan",
                "A marriage referral letter from the kelurahan",
            ),
            ("KTP-el dan KK calon pengantin", "The bride's and groom's e-KTP and KK"),
            ("Akta kelahiran calon pengantin", "Their birth certificates"),
            ("Pas foto 2×3 dan 4×6 latar biru", "2×3 and 4×6 photos on a blue background"),
            (
                "Akta cerai atau akta kematian pasangan, bagi yang pernah menikah",
                "Divorce or spouse's death certificate, if married before",
                True,
            ),
        ],
        fee=0,
        fee_note=(
            "di KUA pada jam kerja; Rp 600.000 bila di luar KUA atau di luar jam kerja",
            "at the KUA in office hours; Rp 600,000 elsewhere or after hours",
        ),
        legal="UU No. 1 Tahun 1974 tentang Perkawinan; PP No. 48 Tahun 2014",
        keywords="nikah, menikah, kua, daftar nikah, buku nikah, akad, marriage registration, wedding",
        popularity=300,
    ),
    _service(
        "sertifikat_halal",
        "kemenag",
        "perizinan",
        (
            "Sertifikasi halal (self declare UMK)",
            "Halal certification (self-declare, small business)",
        ),
        (
            "Pendampingan sertifikasi halal pernyataan mandiri bagi usaha mikro dan kecil, "
            "diterbitkan BPJPH.",
            "Help with self-declared halal certification for micro and small businesses, issued "
            "by BPJPH.",
        ),
        requirements=[
            NIB,
            KTP,
            ("Daftar bahan dan proses produksi", "The ingredients and production process"),
        ],
        fee=0,
        fee_note=(
            "program sertifikasi halal gratis sesuai kuota",
            "free-certification programme, within its quota",
        ),
        sla=(21, WD),
        mpp=True,
        legal="UU No. 33 Tahun 2014 tentang Jaminan Produk Halal",
        keywords="halal, sertifikat halal, sehati, label halal, halal certificate",
        popularity=250,
    ),
    # --- City offices ---------------------------------------------------------------------------
    _service(
        "kartu_pencari_kerja",
        "disnaker",
        "ketenagakerjaan",
        ("Kartu pencari kerja (AK/I, kartu kuning)", "Job-seeker card (AK/I, the yellow card)"),
        (
            "Kartu tanda pendaftaran pencari kerja yang sering diminta saat melamar pekerjaan.",
            "The job-seeker registration card often asked for in job applications.",
        ),
        requirements=[KTP, ("Ijazah terakhir", "Your latest diploma"), FOTO_3X4],
        fee=0,
        sla=(1, WD),
        mpp=True,
        legal="UU No. 13 Tahun 2003 tentang Ketenagakerjaan",
        keywords="kartu kuning, ak1, ak/1, ak 1, pencari kerja, lamar kerja, job seeker card",
        popularity=450,
    ),
    _service(
        "pelatihan_kerja",
        "disnaker",
        "ketenagakerjaan",
        ("Pendaftaran pelatihan kerja", "Vocational training registration"),
        (
            "Pelatihan keterampilan gratis (las, otomotif, komputer, tata boga dan lainnya) untuk "
            "warga Balikpapan.",
            "Free skills training (welding, automotive, computing, catering and more) for "
            "Balikpapan residents.",
        ),
        requirements=[KTP, KK, ("Ijazah terakhir", "Your latest diploma")],
        fee=0,
        legal="UU No. 13 Tahun 2003 tentang Ketenagakerjaan",
        keywords="pelatihan, kursus, blk, pelatihan kerja, vocational training, skills course",
        popularity=150,
    ),
    _service(
        "mediasi_hubungan_industrial",
        "disnaker",
        "ketenagakerjaan",
        ("Mediasi perselisihan hubungan industrial", "Workplace dispute mediation"),
        (
            "Mediasi antara pekerja dan perusahaan untuk perselisihan upah, PHK atau hak "
            "pekerja lainnya.",
            "Mediation between workers and employers on wages, dismissal or other rights.",
        ),
        requirements=[
            KTP,
            ("Bukti perundingan bipartit", "Proof that both sides have tried to negotiate"),
            ("Surat permohonan mediasi", "A letter asking for mediation"),
        ],
        fee=0,
        sla=(30, WD),
        legal="UU No. 2 Tahun 2004 tentang Penyelesaian Perselisihan Hubungan Industrial",
        keywords="phk, pesangon, mediasi, sengketa kerja, perselisihan, layoff, labour dispute",
        popularity=80,
    ),
    _service(
        "uji_kir",
        "dishub",
        "transportasi",
        ("Pengujian kendaraan bermotor (uji KIR)", "Vehicle roadworthiness test (KIR)"),
        (
            "Uji berkala kendaraan angkutan barang dan penumpang agar laik jalan.",
            "Periodic roadworthiness test of goods and passenger vehicles.",
        ),
        requirements=[
            ("STNK kendaraan", "The vehicle registration (STNK)"),
            ("Buku atau kartu uji lama", "The previous test card"),
            KTP,
        ],
        fee=None,
        fee_note=("Retribusi sesuai jenis kendaraan", "A levy by vehicle type"),
        sla=(1, WD),
        legal="UU No. 22 Tahun 2009 tentang Lalu Lintas dan Angkutan Jalan",
        keywords="kir, uji kir, buku kir, truk, angkot, pick up, vehicle test, roadworthiness",
        popularity=200,
    ),
    _service(
        "persetujuan_lingkungan",
        "dlh",
        "lingkungan",
        ("Persetujuan lingkungan (SPPL, UKL-UPL)", "Environmental approval (SPPL, UKL-UPL)"),
        (
            "Pernyataan atau dokumen pengelolaan lingkungan untuk usaha sesuai tingkat risikonya.",
            "The environmental statement or management plan a business needs for its risk level.",
        ),
        requirements=[NIB, ("Dokumen SPPL atau UKL-UPL", "The SPPL or UKL-UPL document")],
        fee=0,
        sla=(10, WD),
        mpp=True,
        legal="UU No. 32 Tahun 2009 tentang Perlindungan dan Pengelolaan Lingkungan Hidup; "
        "PP No. 22 Tahun 2021",
        keywords="amdal, ukl upl, sppl, izin lingkungan, environmental permit",
        popularity=110,
    ),
    _service(
        "angkutan_sampah",
        "dlh",
        "lingkungan",
        ("Layanan angkutan sampah", "Waste collection"),
        (
            "Pendaftaran pengangkutan sampah rumah tangga atau usaha dan jadwal angkut.",
            "Signing up for household or business waste collection, and its schedule.",
        ),
        requirements=[KTP, ("Alamat lengkap", "Your full address")],
        fee=None,
        fee_note=("Retribusi kebersihan bulanan", "A monthly cleaning levy"),
        legal="UU No. 18 Tahun 2008 tentang Pengelolaan Sampah",
        keywords="sampah, angkut sampah, kebersihan, tps, garbage collection, waste, rubbish",
        popularity=250,
    ),
    _service(
        "spmb",
        "disdikbud",
        "pendidikan",
        (
            "Penerimaan murid baru SD dan SMP negeri",
            "Admission to public primary and junior secondary schools",
        ),
        (
            "Pendaftaran murid baru sekolah negeri jenjang SD dan SMP di Balikpapan melalui "
            "jalur domisili, afirmasi, prestasi atau mutasi.",
            "Admission of new pupils to public primary and junior secondary schools in "
            "Balikpapan by address, affirmative, merit or transfer track.",
        ),
        requirements=[
            AKTA_LAHIR,
            KK_ORTU,
            (
                "Rapor atau ijazah jenjang sebelumnya, untuk SMP",
                "Report cards or diploma, for junior secondary",
                True,
            ),
        ],
        fee=0,
        legal=SISDIKNAS,
        keywords="ppdb, spmb, daftar sekolah, sekolah negeri, murid baru, zonasi, sd, smp, "
        "school admission, school enrolment",
        popularity=500,
    ),
    _service(
        "mutasi_siswa",
        "disdikbud",
        "pendidikan",
        (
            "Pindah sekolah (mutasi siswa SD dan SMP)",
            "School transfer (primary and junior secondary)",
        ),
        (
            "Rekomendasi pindah sekolah bagi siswa yang datang dari luar kota atau pindah antar "
            "sekolah di Balikpapan.",
            "Transfer recommendation for pupils coming from another city or changing school "
            "within Balikpapan.",
        ),
        requirements=[
            ("Surat pindah dari sekolah asal", "Transfer letter from the previous school"),
            ("Rapor", "Report cards"),
            KK_ORTU,
            AKTA_LAHIR,
        ],
        fee=0,
        sla=(3, WD),
        legal=SISDIKNAS,
        keywords="pindah sekolah, mutasi siswa, mutasi sekolah, school transfer, change school",
        popularity=200,
    ),
    _service(
        "legalisasi_ijazah",
        "disdikbud",
        "pendidikan",
        ("Legalisasi ijazah dan surat keterangan pengganti", "Certified copies of diplomas"),
        (
            "Legalisasi fotokopi ijazah SD dan SMP, dan surat keterangan pengganti ijazah yang "
            "hilang atau rusak.",
            "Certification of primary and junior-secondary diploma copies, and a replacement "
            "statement for a lost or damaged diploma.",
        ),
        requirements=[
            ("Ijazah asli dan fotokopinya", "The original diploma and copies"),
            (
                "Surat kehilangan dari kepolisian, jika ijazah hilang",
                "A police loss report, if lost",
                True,
            ),
        ],
        fee=0,
        sla=(3, WD),
        legal=SISDIKNAS,
        keywords="legalisir ijazah, ijazah hilang, surat pengganti ijazah, diploma copy",
        popularity=150,
    ),
    _service(
        "data_kesejahteraan_sosial",
        "dinsos",
        "sosial",
        (
            "Pendaftaran data kesejahteraan sosial (DTSEN)",
            "Registering in the social-welfare database (DTSEN)",
        ),
        (
            "Usulan masuk data tunggal sosial ekonomi, syarat menerima bantuan sosial seperti PKH, "
            "sembako dan iuran JKN dibayar pemerintah.",
            "Applying to be listed in the national social-economic database, needed for social "
            "assistance such as PKH, food aid and government-paid health insurance.",
        ),
        requirements=[
            KTP,
            KK,
            ("Surat keterangan dari RT/kelurahan", "A letter from your RT or kelurahan"),
        ],
        fee=0,
        legal="UU No. 13 Tahun 2011 tentang Penanganan Fakir Miskin",
        keywords="dtks, dtsen, bansos, bantuan sosial, pkh, sembako, keluarga miskin, "
        "social assistance, welfare",
        popularity=450,
    ),
    _service(
        "rekomendasi_pbi_jk",
        "dinsos",
        "sosial",
        (
            "Rekomendasi JKN dibayar pemerintah (PBI)",
            "Government-paid health insurance (PBI) recommendation",
        ),
        (
            "Rekomendasi agar iuran JKN warga tidak mampu dibayar pemerintah.",
            "A recommendation that the government pays the JKN contributions of low-income "
            "residents.",
        ),
        requirements=[
            KTP,
            KK,
            (
                "Surat keterangan tidak mampu dari kelurahan",
                "A low-income statement from the kelurahan",
            ),
        ],
        fee=0,
        sla=(3, WD),
        legal=JKN,
        keywords="bpjs gratis, pbi, kis, tidak mampu, sktm, free health insurance",
        popularity=300,
    ),
    _service(
        "layanan_perlindungan_perempuan_anak",
        "dp3akb",
        "sosial",
        (
            "Pengaduan dan pendampingan kekerasan terhadap perempuan dan anak",
            "Help against violence towards women and children",
        ),
        (
            "Pengaduan, konseling dan pendampingan hukum bagi korban kekerasan dalam rumah tangga, "
            "kekerasan seksual dan perundungan anak, secara rahasia.",
            "Confidential reporting, counselling and legal support for victims of domestic and "
            "sexual violence and of child abuse.",
        ),
        requirements=[],
        fee=0,
        legal="UU No. 23 Tahun 2004 tentang Penghapusan KDRT; UU No. 12 Tahun 2022 tentang "
        "Tindak Pidana Kekerasan Seksual",
        keywords="kdrt, kekerasan, pelecehan, perundungan, bullying, perlindungan anak, ppa, "
        "sapa 129, domestic violence, abuse",
        popularity=60,
    ),
    _service(
        "pendataan_umkm",
        "dkumkmp",
        "perizinan",
        ("Pendataan dan pendampingan UMKM", "Small-business registration and support"),
        (
            "Pendataan usaha mikro dan kecil untuk pelatihan, pendampingan, pameran dan akses "
            "permodalan.",
            "Registering micro and small businesses for training, coaching, fairs and access to "
            "finance.",
        ),
        requirements=[KTP, NIB],
        fee=0,
        legal="UU No. 20 Tahun 2008 tentang UMKM",
        keywords="umkm, usaha kecil, usaha mikro, koperasi, pendampingan usaha, small business",
        popularity=200,
    ),
    _service(
        "tera_ulang",
        "disdag",
        "perizinan",
        ("Tera dan tera ulang alat ukur", "Calibration of scales and measuring instruments"),
        (
            "Pengujian dan tanda tera untuk timbangan, takaran dan alat ukur yang dipakai berdagang.",
            "Testing and stamping of scales, measures and meters used in trade.",
        ),
        requirements=[("Alat ukur yang akan ditera", "The instrument to be tested")],
        fee=None,
        fee_note=("Retribusi tera sesuai jenis alat", "A levy by instrument type"),
        legal="UU No. 2 Tahun 1981 tentang Metrologi Legal",
        keywords="tera, tera ulang, timbangan, meteran, uttp, calibration, scales",
        popularity=70,
    ),
    _service(
        "sewa_kios_pasar",
        "disdag",
        "perizinan",
        ("Sewa kios dan los pasar", "Renting a market stall"),
        (
            "Permohonan pemakaian kios atau los di pasar milik Pemerintah Kota Balikpapan.",
            "Applying to use a stall in a market owned by the city.",
        ),
        requirements=[KTP, KK, FOTO_3X4],
        fee=None,
        fee_note=("Retribusi pasar bulanan", "A monthly market levy"),
        legal=PAJAK_DAERAH,
        keywords="kios, los pasar, sewa pasar, lapak, market stall",
        popularity=90,
    ),
    _service(
        "pengaduan",
        "diskominfo",
        "pengaduan",
        ("Pengaduan masyarakat", "Public complaints"),
        (
            "Sampaikan keluhan tentang layanan publik, jalan rusak, lampu jalan, banjir atau sampah; "
            "pengaduan diteruskan ke instansi yang berwenang dan dapat dipantau.",
            "Report a problem with a public service, a damaged road, street lights, flooding or "
            "rubbish; the complaint goes to the agency in charge and you can follow it.",
        ),
        requirements=[
            ("Uraian masalah dan lokasinya", "What the problem is and where"),
            ("Foto pendukung", "A photo", True),
        ],
        fee=0,
        module="pengaduan",
        mpp=True,
        office=False,
        legal=PELAYANAN_PUBLIK,
        keywords="lapor, keluhan, aduan, komplain, jalan rusak, lampu jalan mati, banjir, "
        "complaint, report a problem",
        popularity=720,
    ),
    _service(
        "permohonan_informasi_publik",
        "ppid",
        "pengaduan",
        ("Permohonan informasi publik (PPID)", "Public information request (PPID)"),
        (
            "Permintaan salinan informasi dan dokumen publik Pemerintah Kota Balikpapan.",
            "Request copies of public information and documents of the city government.",
        ),
        requirements=[
            KTP,
            ("Rincian informasi yang diminta dan tujuannya", "What you ask for and why"),
        ],
        fee=0,
        fee_note=(
            "biaya salinan atau pengiriman, jika ada",
            "copying or postage costs, if any",
        ),
        sla=(10, WD),
        legal="UU No. 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
        keywords="ppid, informasi publik, keterbukaan informasi, data pemerintah, "
        "freedom of information, foi",
        contact="PPID Kota Balikpapan, Balai Kota, Jl. Jenderal Sudirman No. 1",
        popularity=60,
    ),
    _service(
        "laporan_kebencanaan",
        "bpbd",
        "kepolisian",
        ("Laporan bencana dan kedaruratan", "Reporting a disaster or emergency"),
        (
            "Laporan kejadian banjir, tanah longsor, angin kencang dan bencana lain untuk "
            "penanganan darurat BPBD.",
            "Report floods, landslides, storms and other disasters for BPBD's emergency response.",
        ),
        requirements=[("Lokasi dan uraian kejadian", "Where it happens and what")],
        fee=0,
        legal="UU No. 24 Tahun 2007 tentang Penanggulangan Bencana",
        keywords="banjir, longsor, tanah longsor, bencana, darurat, angin puting beliung, "
        "disaster, emergency, flood",
        popularity=120,
    ),
    _service(
        "pemakaman",
        "disperkim",
        "sosial",
        ("Layanan pemakaman di TPU", "Burial at a public cemetery (TPU)"),
        (
            "Permohonan lahan makam di tempat pemakaman umum milik Pemerintah Kota.",
            "Applying for a grave at a city public cemetery.",
        ),
        requirements=[
            ("Surat keterangan kematian", "Death notification"),
            ("KTP-el almarhum/almarhumah dan ahli waris", "The deceased's and the heir's e-KTP"),
        ],
        fee=None,
        fee_note=("Retribusi pemakaman", "A burial levy"),
        sla=(1, "days"),
        legal=PAJAK_DAERAH,
        keywords="makam, pemakaman, kuburan, tpu, jenazah, burial, cemetery, funeral",
        popularity=100,
    ),
    _service(
        "surat_kesehatan_hewan",
        "dpkp",
        "lingkungan",
        ("Surat keterangan kesehatan hewan", "Animal health certificate"),
        (
            "Pemeriksaan dan surat keterangan kesehatan hewan untuk hewan kurban, ternak dan "
            "hewan peliharaan yang dibawa keluar daerah.",
            "Check-up and health certificate for sacrificial animals, livestock and pets "
            "travelling out of the city.",
        ),
        requirements=[("Hewan yang akan diperiksa", "The animal"), KTP],
        fee=None,
        fee_note=("Sesuai retribusi daerah", "As set by the regional levy"),
        sla=(1, WD),
        legal="UU No. 18 Tahun 2009 tentang Peternakan dan Kesehatan Hewan",
        keywords="skkh, kesehatan hewan, hewan kurban, vaksin rabies, pet, animal health",
        popularity=50,
    ),
    _service(
        "peminjaman_fasilitas_olahraga",
        "dispora",
        "pendidikan",
        ("Peminjaman fasilitas olahraga", "Booking city sports facilities"),
        (
            "Permohonan pemakaian gedung olahraga dan lapangan milik Pemerintah Kota untuk latihan "
            "atau kegiatan.",
            "Booking the city's sports halls and fields for training or events.",
        ),
        requirements=[
            KTP,
            ("Surat permohonan dan jadwal kegiatan", "A request letter with the dates"),
        ],
        fee=None,
        fee_note=("Retribusi pemakaian kekayaan daerah", "A levy for using city property"),
        sla=(3, WD),
        legal=PAJAK_DAERAH,
        keywords="gor, gedung olahraga, lapangan, stadion, sewa lapangan, sports hall",
        popularity=60,
    ),
    _service(
        "sambungan_air_baru",
        "perumda-tirta-manuntung",
        "lingkungan",
        ("Pemasangan sambungan baru air PDAM", "New mains water connection"),
        (
            "Permohonan sambungan air bersih baru dari Perumda Tirta Manuntung Balikpapan.",
            "Applying for a new mains water connection from Perumda Tirta Manuntung Balikpapan.",
        ),
        requirements=[KTP, KK, SPPT, ("Denah lokasi rumah", "A sketch of where the house is")],
        fee=None,
        fee_note=("Biaya sambungan sesuai golongan pelanggan", "Connection cost by customer class"),
        mpp=True,
        keywords="pdam, air bersih, pasang air, sambungan baru, air ledeng, water connection",
        popularity=300,
    ),
    _service(
        "tagihan_air",
        "perumda-tirta-manuntung",
        "lingkungan",
        ("Pembayaran tagihan air PDAM", "Paying the water bill"),
        (
            "Pembayaran rekening air bulanan Perumda Tirta Manuntung dan informasi tagihan.",
            "Paying the monthly water bill of Perumda Tirta Manuntung and checking the bill.",
        ),
        requirements=[("Nomor sambungan pelanggan", "Your customer connection number")],
        fee=None,
        fee_note=("Sesuai tagihan", "The billed amount"),
        sla=(10, "minutes"),
        mpp=True,
        keywords="bayar pdam, tagihan air, rekening air, water bill",
        popularity=500,
    ),
]

# The six kecamatan offices: the integrated kecamatan service (PATEN).
_KECAMATAN = [
    ("timur", "Balikpapan Timur"),
    ("barat", "Balikpapan Barat"),
    ("utara", "Balikpapan Utara"),
    ("tengah", "Balikpapan Tengah"),
    ("selatan", "Balikpapan Selatan"),
    ("kota", "Balikpapan Kota"),
]
SERVICES += [
    _service(
        f"paten_{suffix}",
        f"kec-balikpapan-{suffix}",
        "kependudukan",
        (f"Pelayanan terpadu Kecamatan {name} (PATEN)", f"Kecamatan {name} service desk (PATEN)"),
        (
            f"Surat keterangan, rekomendasi dan legalisasi bagi warga Kecamatan {name}: "
            "domisili, ahli waris, tidak mampu, dan pengantar untuk layanan lain.",
            f"Statements, recommendations and certifications for residents of Kecamatan {name}: "
            "residence, heirs, low income, and referrals for other services.",
        ),
        requirements=[
            KTP,
            KK,
            ("Surat pengantar dari kelurahan", "A referral letter from the kelurahan"),
        ],
        fee=0,
        sla=(1, WD),
        legal=PATEN,
        keywords="surat keterangan, domisili, ahli waris, sktm, surat pengantar, kecamatan, "
        "paten, legalisasi",
        popularity=100,
    )
    for suffix, name in _KECAMATAN
]

# (slug, (name id, en), (description id, en), icon, [(service code, (note id, en), optional)])
LIFE_EVENTS = [
    (
        "pindah-ke-balikpapan",
        ("Pindah ke Balikpapan", "Moving to Balikpapan"),
        (
            "Selamat datang! Langkah-langkah bagi pendatang — termasuk yang pindah karena IKN — "
            "agar tercatat sebagai warga Balikpapan, berobat dan menyekolahkan anak.",
            "Welcome! The steps for newcomers — including those moving for the new capital, IKN — "
            "to become registered Balikpapan residents, see a doctor and enrol children at school.",
        ),
        "truck",
        [
            (
                "pindah_datang",
                (
                    "Bawa SKPWNI dari kota asal; Anda mendapat KK dan KTP-el beralamat Balikpapan.",
                    "Bring the SKPWNI moving letter from your previous city; you get a KK and "
                    "e-KTP with your Balikpapan address.",
                ),
                False,
            ),
            (
                "kk",
                (
                    "Periksa KK baru; tambahkan anggota keluarga yang menyusul.",
                    "Check the new KK; add family members who join you later.",
                ),
                False,
            ),
            (
                "ktp_el_cetak_ulang",
                (
                    "KTP-el dicetak ulang dengan alamat Balikpapan.",
                    "Your e-KTP is reprinted with your Balikpapan address.",
                ),
                False,
            ),
            (
                "bpjs_kesehatan_ubah_data",
                (
                    "Pindahkan faskes JKN ke puskesmas atau klinik dekat rumah baru.",
                    "Move your JKN health centre to a puskesmas or clinic near your new home.",
                ),
                False,
            ),
            (
                "mutasi_siswa",
                (
                    "Jika membawa anak usia sekolah SD atau SMP.",
                    "If you have children in primary or junior secondary school.",
                ),
                True,
            ),
            (
                "identitas_kependudukan_digital",
                ("KTP digital di ponsel Anda.", "The digital ID on your phone."),
                True,
            ),
        ],
    ),
    (
        "kelahiran",
        ("Kelahiran anak", "A baby is born"),
        (
            "Selamat atas kelahiran buah hati! Urus dokumen dan jaminan kesehatan bayi dalam "
            "beberapa langkah.",
            "Congratulations on your baby! Get the baby's documents and health cover in a few "
            "steps.",
        ),
        "baby",
        [
            (
                "akta_kelahiran",
                (
                    "Sebaiknya dalam 60 hari setelah lahir.",
                    "Best within 60 days of the birth.",
                ),
                False,
            ),
            (
                "kk",
                (
                    "Bayi ditambahkan ke KK keluarga.",
                    "The baby is added to the family card.",
                ),
                False,
            ),
            ("kia", ("Kartu identitas untuk anak.", "The child's identity card."), False),
            (
                "bpjs_kesehatan_bayi",
                ("Dalam 28 hari setelah lahir.", "Within 28 days of the birth."),
                False,
            ),
            (
                "imunisasi",
                (
                    "Imunisasi dasar di puskesmas atau posyandu.",
                    "Routine immunisation at a puskesmas or posyandu.",
                ),
                True,
            ),
        ],
    ),
    (
        "kematian",
        ("Anggota keluarga meninggal dunia", "A death in the family"),
        (
            "Turut berduka cita. Langkah-langkah yang perlu diurus keluarga setelah seseorang "
            "meninggal dunia.",
            "With our condolences. What the family needs to arrange after someone has died.",
        ),
        "flower",
        [
            (
                "pemakaman",
                (
                    "Jika dimakamkan di TPU milik Pemerintah Kota.",
                    "If the burial is in a city cemetery.",
                ),
                True,
            ),
            (
                "akta_kematian",
                ("Laporkan kematian dalam 30 hari.", "Report the death within 30 days."),
                False,
            ),
            (
                "kk",
                (
                    "KK diperbarui tanpa nama almarhum/almarhumah.",
                    "The family card is updated without the deceased.",
                ),
                False,
            ),
            (
                "bpjs_kesehatan_peserta_meninggal",
                (
                    "Agar iuran JKN tidak terus ditagih.",
                    "So that JKN contributions are no longer billed.",
                ),
                False,
            ),
            (
                "bpjs_tk_klaim_jkm",
                (
                    "Jika almarhum/almarhumah peserta BPJS Ketenagakerjaan.",
                    "If the deceased was a BPJS Ketenagakerjaan member.",
                ),
                True,
            ),
        ],
    ),
    (
        "membuka-usaha",
        ("Membuka usaha kecil", "Opening a small business"),
        (
            "Dari izin dasar sampai perlindungan pekerja: langkah membuka usaha mikro dan kecil "
            "di Balikpapan.",
            "From the basic licence to worker protection: the steps to open a micro or small "
            "business in Balikpapan.",
        ),
        "store",
        [
            (
                "nib",
                (
                    "Izin dasar semua usaha; bisa dibantu petugas di MPP.",
                    "The basic licence of every business; MPP officers can help.",
                ),
                False,
            ),
            (
                "pendataan_umkm",
                (
                    "Untuk pelatihan, pameran dan akses permodalan.",
                    "For training, fairs and access to finance.",
                ),
                True,
            ),
            (
                "spp_irt",
                (
                    "Jika menjual makanan atau minuman olahan rumahan.",
                    "If you sell home-made processed food or drinks.",
                ),
                True,
            ),
            (
                "sertifikat_halal",
                (
                    "Jika menjual makanan atau minuman.",
                    "If you sell food or drinks.",
                ),
                True,
            ),
            (
                "izin_reklame",
                (
                    "Jika memasang papan nama atau reklame.",
                    "If you put up a sign or advertising.",
                ),
                True,
            ),
            (
                "npwpd",
                (
                    "Jika usaha Anda restoran, hotel, hiburan atau parkir.",
                    "If you run a restaurant, hotel, entertainment or parking business.",
                ),
                True,
            ),
            (
                "bpjs_tk_bpu",
                (
                    "Perlindungan untuk Anda dan pekerja Anda.",
                    "Protection for you and your workers.",
                ),
                False,
            ),
        ],
    ),
]
