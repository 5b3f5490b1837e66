"""Offline lyric lines in six languages: `{name}`, `{region}`, `{thing}` (what the place
is, from its category), `{feature}` and `{offer}` are filled in by song_lyrics.

Roles: the chorus names the business and the region; verses paint the visit; the bridge turns
to the booking; intro and outro are short calls. Several candidates per role: the writer keeps
those whose filled-in line has 8-12 syllables. Chinese, Japanese and Thai are written with
spaces between phrases only; the spaces are dropped when drawn (render.linebreak).
"""

from __future__ import annotations

Lines = dict[str, list[str]]

TEMPLATES: dict[str, Lines] = {
    "ko": {
        "intro": [
            "오늘은 {region} 여행 떠나요",
            "{region}의 바람을 따라가요",
            "우리 함께 떠나 볼까요",
        ],
        "verse": [
            "창가에 햇살이 내려앉으면",
            "{feature} 따라 천천히 걸어요",
            "따뜻한 하루가 시작돼요",
            "작은 행복이 여기 있어요",
            "바쁜 하루는 잠시 내려놔요",
            "마음이 먼저 알아보는 곳",
        ],
        "chorus": [
            "{region}에 오면 {name}",
            "우리들의 {name}",
            "{region} 바다 곁 {thing}",
            "언제라도 {name} 찾아와요",
            "{name}에서 만나요",
            "{region}의 작은 {thing}",
        ],
        "bridge": ["{offer}, 바로 예약해요", "오늘 바로 예약하세요", "다음 주말엔 여기서 봐요"],
        "outro": ["{name}에서 기다릴게요", "또 만나요 {name}에서", "{region}에서 기다릴게요"],
    },
    "en": {
        "intro": ["Come along to {region} today", "Take the road to {region} now"],
        "verse": [
            "Sunlight on the window, morning calls",
            "Slow walks by the {feature} we love",
            "Leave the busy week behind you",
            "Little joys are waiting here",
            "Warm cups and easy talking",
            "A place your heart remembers",
        ],
        "chorus": [
            "{name} in {region}",
            "Meet me at {name} tonight",
            "Down in {region}, {name}",
            "Your favourite {thing} in {region}",
            "Come on back to {name}",
            "{name}, {name}, here we go",
        ],
        "bridge": [
            "{offer}, book it today",
            "Book your table, come and stay",
            "Save the date and come around",
        ],
        "outro": [
            "We will see you at {name}",
            "{name} is waiting for you",
            "See you soon in {region}",
        ],
    },
    "zh": {
        "intro": ["今天 我们 出发去{region}", "跟着 风 一起 去{region}"],
        "verse": [
            "阳光 洒在 窗边 的 早晨",
            "沿着 {feature} 慢慢 散步",
            "放下 忙碌 的 一整周",
            "小小 的 幸福 在 这里",
            "温暖 的 一天 又 开始",
            "心 会 记得 的 好地方",
        ],
        "chorus": [
            "来到 {region} 就去 {name}",
            "我们 最爱 的 {name}",
            "{region} 海边 的 {thing}",
            "随时 回来 {name} 吧",
            "{region} 有 {name}",
            "在 {name} 见面 吧",
        ],
        "bridge": ["{offer} 现在 就 预订", "今天 就 来 预订 吧", "周末 我们 这里 见"],
        "outro": ["{name} 等着 你 来", "下次 再见 在 {name}", "{region} 等着 你 来"],
    },
    "ja": {
        "intro": ["きょうは {region}へ でかけよう", "かぜと いっしょに {region}へ"],
        "verse": [
            "まどべに ひかりが ふりそそぐ",
            "{feature}を ゆっくり あるこう",
            "いそがしい まいにちを おいて",
            "ちいさな しあわせ ここに ある",
            "あたたかい いちにちが はじまる",
            "こころが おぼえてる ばしょ",
        ],
        "chorus": [
            "{region}に きたら {name}",
            "みんなの {name}",
            "{region}の うみべの {thing}",
            "いつでも {name}へ おいで",
            "{name}で あいましょう",
            "{region}の ちいさな {thing}",
        ],
        "bridge": [
            "{offer} いますぐ よやく",
            "きょう すぐに よやくしよう",
            "しゅうまつは ここで あおう",
        ],
        "outro": ["{name}で まってるよ", "またね {name}で", "{region}で まってるよ"],
    },
    "th": {
        "intro": ["วันนี้ เราไป {region} กัน", "ไปกับ สายลม ที่ {region}"],
        "verse": [
            "แสงแดด ส่องผ่าน หน้าต่าง ยามเช้า",
            "เดินเล่น ช้าๆ ริม {feature}",
            "วางเรื่อง วุ่นวาย ไว้ก่อน",
            "ความสุข เล็กๆ อยู่ที่นี่",
            "วันใหม่ ที่แสน อบอุ่น",
            "ที่ที่ หัวใจ จำได้",
        ],
        "chorus": [
            "มา {region} ต้อง {name}",
            "{name} ของ พวกเรา",
            "{thing} ริมทะเล ที่ {region}",
            "กลับมา หา {name} นะ",
            "เจอกัน ที่ {name}",
            "{region} มี {name}",
        ],
        "bridge": ["{offer} จองเลย วันนี้", "จองเลย วันนี้ อย่ารอ", "สุดสัปดาห์ นี้ เจอกัน"],
        "outro": ["{name} รอ คุณ อยู่", "แล้ว เจอกัน ที่ {name}", "{region} รอ คุณ อยู่"],
    },
    "vi": {
        "intro": ["Hôm nay mình cùng đi {region}", "Theo làn gió về {region}"],
        "verse": [
            "Nắng mai rơi bên khung cửa sổ",
            "Thong thả dạo bước bên {feature}",
            "Gác lại những ngày bận rộn",
            "Niềm vui nhỏ đang chờ nơi đây",
            "Một ngày mới thật ấm áp",
            "Nơi trái tim luôn nhớ về",
        ],
        "chorus": [
            "Về {region} ghé {name}",
            "{name} của chúng mình",
            "{thing} bên biển {region}",
            "Hãy quay lại {name} nhé",
            "Hẹn gặp ở {name} nhé",
            "{region} có {name}",
        ],
        "bridge": [
            "{offer}, đặt ngay hôm nay",
            "Đặt chỗ ngay hôm nay nhé",
            "Cuối tuần này gặp nhau nhé",
        ],
        "outro": ["{name} đang chờ bạn", "Hẹn gặp lại ở {name}", "{region} đang chờ bạn"],
    },
}

# What the place is, by category, in each language (the chorus sings it).
THINGS: dict[str, dict[str, str]] = {
    "cafe": {
        "ko": "카페",
        "en": "café",
        "zh": "咖啡馆",
        "ja": "カフェ",
        "th": "ร้านกาแฟ",
        "vi": "quán cà phê",
    },
    "stay": {"ko": "숙소", "en": "stay", "zh": "民宿", "ja": "やど", "th": "ที่พัก", "vi": "nhà nghỉ"},
    "restaurant": {
        "ko": "식당",
        "en": "kitchen",
        "zh": "餐厅",
        "ja": "しょくどう",
        "th": "ร้านอาหาร",
        "vi": "quán ăn",
    },
    "shop": {
        "ko": "가게",
        "en": "shop",
        "zh": "小店",
        "ja": "おみせ",
        "th": "ร้าน",
        "vi": "cửa hàng",
    },
}
FEATURES: dict[str, str] = {
    "ko": "바닷길",
    "en": "sea",
    "zh": "海边",
    "ja": "うみべ",
    "th": "ทะเล",
    "vi": "biển",
}
OFFERS: dict[str, str] = {
    "ko": "지금",
    "en": "Come today",
    "zh": "欢迎",
    "ja": "いまなら",
    "th": "มาเลย",
    "vi": "Ghé ngay",
}
