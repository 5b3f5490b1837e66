"""Korean copy for TemplateWriter: `{field}` is filled in, `{field:을를}` adds a particle."""

from __future__ import annotations

HOOKS = [
    "{kw}, 아직 모르세요?",
    "잠깐, 이건 꼭 보세요!",
    "이거 모르면 손해예요.",
    "{kw:이가} 궁금하다면 주목!",
    "다들 {kw} 알고 계셨나요?",
    "오늘은 {kw} 이야기예요.",
    "{name}, 들어보셨어요?",
    "{place} 가신다면 주목!",
]

TITLES = [
    "{kw}, 이건 꼭 알아야 해요",
    "{kw} 완벽 정리",
    "지금 가장 핫한 {kw}",
    "{kw}, 한 번 보면 빠져요",
    "{name} | {kw} 추천",
    "{place} {name}, 제대로 소개해요",
]

# Body beats: the first sentence of a beat that can use the brief's details comes first.
BEATS: dict[str, list[str]] = {
    "intro": [
        "오늘은 {kw:을를} 제대로 소개해 드릴게요.",
        "요즘 {kw:이가} 왜 인기인지 알려 드릴게요.",
        "지금부터 {kw}의 매력을 짧고 굵게 정리해 볼게요.",
        "{name:은는} 요즘 입소문이 난 곳이에요.",
        "{place}에 있는 {name}, 제가 직접 다녀왔어요.",
    ],
    "why": [
        "한 번 경험하면 왜 다들 좋아하는지 바로 알게 돼요.",
        "가장 큰 장점은 누구나 부담 없이 즐길 수 있다는 거예요.",
        "생각보다 훨씬 간단하고, 결과는 확실해요.",
        "작은 차이가 큰 만족으로 이어져요.",
        "{kw}, 한 번 빠지면 헤어나기 어려워요.",
        "{name:이가} 사랑받는 이유, 직접 보면 알아요.",
    ],
    "detail": [
        "특히 {product:은는} 꼭 경험해 보세요.",
        "{name}의 대표 메뉴는 바로 {product:이에요}.",
        "{product:은는} 한 번 보면 계속 생각나요.",
        "디테일 하나하나에 정성이 느껴져요.",
        "퀄리티는 기대 이상이에요.",
        "가격 대비 만족도가 정말 높아요.",
    ],
    "place": [
        "위치는 {place}, 찾아가기도 쉬워요.",
        "{place}에 가면 꼭 들러 보세요.",
        "분위기가 편안해서 오래 머물고 싶어져요.",
        "사진 찍기 좋은 포인트도 곳곳에 있어요.",
        "공간 곳곳에 감성이 가득해요.",
    ],
    "audience": [
        "{audience}에게 특히 추천해요.",
        "{audience:이라}면 분명 마음에 드실 거예요.",
        "혼자여도, 친구와 함께여도 좋아요.",
        "처음 시작하는 분들께 특히 추천해요.",
        "바쁜 일상 속 작은 휴식이 필요하다면 딱이에요.",
    ],
    "tip": [
        "팁 하나 드리자면, 처음엔 가볍게 시작해 보세요.",
        "주말보다는 평일이 훨씬 여유로워요.",
        "이 영상은 저장해 두고 필요할 때 꺼내 보세요.",
        "미리 알아보고 가면 훨씬 즐거워요.",
    ],
    "moment": [
        "그 순간, 하루의 피로가 싹 풀려요.",
        "작은 행복이 이런 거구나 싶어요.",
        "한 번 경험하면 다음이 기다려져요.",
        "좋은 사람과 함께라면 더 특별해져요.",
    ],
}

CALLS = [
    "지금 바로 {name:을를} 만나 보세요!",
    "{place}에 오시면 {name:을를} 꼭 찾아 주세요.",
    "도움이 됐다면 저장하고 팔로우해 주세요!",
    "궁금한 점은 댓글로 남겨 주세요.",
    "친구에게도 공유해 주세요!",
    "지금 바로 {kw:을를} 시작해 보세요!",
]

# A business reel's closing line, the most complete first: the writer speaks the first that
# fits the time left and shows the details on the end card.
BUSINESS_CALLS = [
    "{place} {name}, {offer}! 문의는 {contact}.",
    "{name}, {offer}! 문의는 {contact}.",
    "{place} {name}에서 {offer}!",
    "{place} {name}, 문의는 {contact}.",
    "{name}에서 {offer}!",
    "{name}, 문의는 {contact}.",
    "{place}의 {name:을를} 찾아 주세요!",
    "지금 바로 {name:을를} 만나 보세요!",
    "{name}에서 만나요!",
]

FILLERS = [
    "정말 추천해요.",
    "놓치면 아쉬울 거예요.",
    "한 번 믿고 따라와 보세요.",
    "생각보다 훨씬 좋아요.",
    "분명 만족하실 거예요.",
    "하나하나 신경 쓴 게 느껴져요.",
]

KEY_PHRASES: dict[str, list[str]] = {
    "hook": ["{kw}"],
    "intro": ["{name}", "{kw}"],
    "why": ["왜 인기일까?", "이유가 있어요"],
    "detail": ["{product}", "디테일의 차이"],
    "place": ["{place}", "이 분위기"],
    "audience": ["{audience} 추천", "이런 분께 추천"],
    "tip": ["꿀팁 하나"],
    "moment": ["작은 행복"],
    "cta": ["{name}", "저장 & 팔로우"],
}

CAPTIONS = [
    "{kw}의 매력을 {seconds}초에 담았어요.",
    "{kw}, 이렇게 즐기면 돼요.",
    "{name}의 이야기를 짧게 담아 봤어요.",
]

CAPTION_CALLS = [
    "📍 {place} {name}",
    "📍 {name}",
    "📍 {place}",
]

HASHTAGS = ["#추천", "#릴스", "#숏폼", "#오늘의추천", "#꿀팁", "#일상", "#소통", "#인스타그램"]
STYLE_HASHTAGS = {
    "food": ["#맛집", "#먹스타그램", "#맛집추천"],
    "calm": ["#힐링"],
    "vivid": ["#핫플"],
}
BUSINESS_HASHTAGS = ["#소상공인", "#가게홍보"]
