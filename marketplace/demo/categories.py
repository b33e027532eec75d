"""The demo category tree: six departments, each with its shelves. Slugs are the keys."""

CATEGORY_TREE = [
    ("rehab-aids", "康复辅具", "Rehabilitation aids", [
        ("walkers-canes", "助行器与手杖", "Walkers and canes"),
        ("wheelchairs", "轮椅", "Wheelchairs"),
        ("bathing-aids", "洗浴辅具", "Bathing aids"),
        ("toileting-aids", "如厕辅具", "Toileting aids"),
    ]),
    ("smart-health", "智能健康设备", "Smart health devices", [
        ("blood-pressure-monitors", "血压计", "Blood pressure monitors"),
        ("glucose-meters", "血糖仪", "Blood glucose meters"),
        ("hearing-aids", "助听器", "Hearing aids"),
        ("wearables-fall-alarms", "智能穿戴与跌倒报警", "Smart wearables and fall alarms"),
    ]),
    ("daily-care", "日用护理", "Daily care", [
        ("incontinence-care", "失禁护理", "Incontinence care"),
        ("adaptive-clothing", "适老服装", "Adaptive clothing and shoes"),
        ("reading-glasses", "老花镜", "Reading glasses"),
    ]),
    ("health-food", "保健食品", "Health foods", [
        ("nutrient-supplements", "营养素补充剂", "Vitamin and mineral supplements"),
        ("functional-health-foods", "功能类保健食品", "Functional health foods"),
        ("ginseng-health-foods", "人参类保健食品", "Ginseng health foods"),
    ]),
    ("jilin-ginseng", "吉林人参", "Jilin ginseng", [
        ("garden-ginseng", "园参", "Garden-grown ginseng"),
        ("forest-ginseng", "林下参", "Forest-grown ginseng"),
        ("red-ginseng", "红参", "Red ginseng"),
        ("sun-dried-ginseng", "生晒参", "Sun-dried ginseng"),
    ]),
    ("sika-deer-antler", "梅花鹿鹿茸", "Sika deer antler", [
        ("antler-slices", "鹿茸片", "Antler slices"),
        ("freeze-dried-antler", "冻干鹿茸", "Freeze-dried antler"),
        ("antler-powder-fresh", "鹿茸粉与鲜鹿茸", "Antler powder and fresh antler"),
    ]),
]
