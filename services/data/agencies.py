"""Agencies serving Balikpapan's citizens: city OPDs, the kecamatan offices and the vertical
agencies and enterprises with counters at the Mal Pelayanan Publik (MPP).

Names confirmed in shared/domain-facts.md §4.3 are marked ``confirmed``; the rest follow the usual
structure (SOTK) of an Indonesian city and must be checked against Balikpapan's own SOTK before
production (domain-facts §9 item 3).
"""

# (code, name, short name, kind, confirmed)
AGENCIES = [
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "dinas", True),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "dinas", True),
    ("bppdrd", "Badan Pengelola Pajak Daerah dan Retribusi Daerah", "BPPDRD", "badan", True),
    ("dkk", "Dinas Kesehatan", "DKK", "dinas", True),
    ("dlh", "Dinas Lingkungan Hidup", "DLH", "dinas", True),
    ("disnaker", "Dinas Ketenagakerjaan", "Disnaker", "dinas", True),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "badan", True),
    ("dishub", "Dinas Perhubungan", "Dishub", "dinas", True),
    ("dpu", "Dinas Pekerjaan Umum", "DPU", "dinas", False),
    ("disdikbud", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", "dinas", False),
    ("dinsos", "Dinas Sosial", "Dinsos", "dinas", False),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo", "dinas", False),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP", "dinas", False),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", "badan", False),
    ("disperkim", "Dinas Perumahan dan Permukiman", "Disperkim", "dinas", False),
    ("dkumkmp", "Dinas Koperasi, Usaha Mikro, Kecil dan Menengah, dan Perindustrian", "DKUMKMP", "dinas", False),
    ("disdag", "Dinas Perdagangan", "Disdag", "dinas", False),
    ("dp3akb", "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana", "DP3AKB", "dinas", False),
    ("dpkp", "Dinas Pangan, Pertanian dan Perikanan", "DPPP", "dinas", False),
    ("dispora", "Dinas Pemuda, Olahraga dan Pariwisata", "Dispopar", "dinas", False),
    ("ppid", "Pejabat Pengelola Informasi dan Dokumentasi (Sekretariat Daerah)", "PPID", "secretariat", True),
    ("rsud-beriman", "RSUD Beriman", "RSUD Beriman", "secretariat", True),
    ("kec-balikpapan-timur", "Kecamatan Balikpapan Timur", "Kec. Balikpapan Timur", "kecamatan", True),
    ("kec-balikpapan-barat", "Kecamatan Balikpapan Barat", "Kec. Balikpapan Barat", "kecamatan", True),
    ("kec-balikpapan-utara", "Kecamatan Balikpapan Utara", "Kec. Balikpapan Utara", "kecamatan", True),
    ("kec-balikpapan-tengah", "Kecamatan Balikpapan Tengah", "Kec. Balikpapan Tengah", "kecamatan", True),
    ("kec-balikpapan-selatan", "Kecamatan Balikpapan Selatan", "Kec. Balikpapan Selatan", "kecamatan", True),
    ("kec-balikpapan-kota", "Kecamatan Balikpapan Kota", "Kec. Balikpapan Kota", "kecamatan", True),
    ("bankaltimtara", "PT Bank Pembangunan Daerah Kalimantan Timur dan Kalimantan Utara", "Bankaltimtara", "bumd", True),
    ("perumda-tirta-manuntung", "Perumda Tirta Manuntung Balikpapan", "PDAM Tirta Manuntung", "bumd", False),
    ("bpjs-kesehatan", "BPJS Kesehatan Cabang Balikpapan", "BPJS Kesehatan", "vertical", True),
    ("bpjs-ketenagakerjaan", "BPJS Ketenagakerjaan Cabang Balikpapan", "BPJS Ketenagakerjaan", "vertical", True),
    ("polresta", "Kepolisian Resor Kota Balikpapan", "Polresta Balikpapan", "vertical", True),
    ("imigrasi", "Kantor Imigrasi Kelas I TPI Balikpapan", "Imigrasi", "vertical", True),
    ("bnn", "Badan Narkotika Nasional Kota Balikpapan", "BNN Kota", "vertical", True),
    ("bpom", "Loka Pengawas Obat dan Makanan di Balikpapan", "Badan POM", "vertical", True),
    ("atr-bpn", "Kantor Pertanahan Kota Balikpapan", "ATR/BPN", "vertical", False),
    ("kemenag", "Kantor Kementerian Agama Kota Balikpapan", "Kemenag", "vertical", False),
]
