"""English copy for TemplateWriter. `{field}` is filled in from the brief."""

from __future__ import annotations

HOOKS = [
    "Stop scrolling: {kw}!",
    "You need to see this.",
    "Wait, have you tried {kw}?",
    "Here's the truth about {kw}.",
    "{kw}? Watch this.",
    "Don't skip this one.",
    "Meet {name}.",
    "Going to {place}? Listen up.",
]

TITLES = [
    "{Kw}: what you need to know",
    "Why everyone loves {kw}",
    "{Kw} in {seconds} seconds",
    "The best of {kw}",
    "{name}: {kw} done right",
    "{name} in {place}, up close",
]

BEATS: dict[str, list[str]] = {
    "intro": [
        "Today I'm showing you {kw}, the right way.",
        "Here's why {kw} is everywhere right now.",
        "Let's break down {kw} in a few seconds.",
        "{name} is the place people keep talking about.",
        "I went to {name} in {place} to see for myself.",
    ],
    "why": [
        "Try it once and you'll see why people love it.",
        "The best part? Anyone can enjoy it.",
        "It's simpler than you think, and it really works.",
        "Small details make a big difference here.",
        "Once you get into {kw}, there's no going back.",
        "There's a reason {name} has so many regulars.",
    ],
    "detail": [
        "Whatever you do, try the {product}.",
        "The signature here is the {product}.",
        "One look at the {product} and you're hooked.",
        "You can feel the care in every detail.",
        "The quality is better than you'd expect.",
        "And it's great value for the price.",
    ],
    "place": [
        "You'll find it in {place}, easy to get to.",
        "If you're ever in {place}, stop by.",
        "The space is cozy, so you'll want to stay.",
        "There are photo spots everywhere.",
        "Every corner has its own charm.",
    ],
    "audience": [
        "Perfect for {audience}.",
        "Calling all {audience}: you'll love this.",
        "Go solo or bring friends; it works either way.",
        "It's great if you're just getting started.",
        "Need a break from a busy week? This is it.",
    ],
    "tip": [
        "Pro tip: start small and keep it simple.",
        "Weekdays are much calmer than weekends.",
        "Save this video so you have it when you need it.",
        "A little planning makes it even better.",
    ],
    "moment": [
        "In that moment, the whole day just melts away.",
        "It's the little things that make you happy.",
        "Do it once and you'll already plan the next time.",
        "With the right people, it feels even more special.",
    ],
}

CALLS = [
    "Come visit {name} today!",
    "Find {name} in {place} and say hi.",
    "Save this and follow for more!",
    "Tell me what you think in the comments.",
    "Share this with a friend who needs it!",
    "Give {kw} a try today!",
]

# A business reel's closing line, the most complete first: the writer speaks the first that
# fits the time left and shows the details on the end card.
BUSINESS_CALLS = [
    "{name} in {place}: {offer}. Contact {contact}.",
    "{name}: {offer}. Contact {contact}.",
    "{name}: {offer}. Visit us in {place}.",
    "{name} in {place}. Contact {contact}.",
    "{name}: {offer}.",
    "Contact {name} at {contact}.",
    "Visit {name} in {place}.",
    "Visit {name} today!",
    "Visit {name}!",
]

FILLERS = [
    "Highly recommended.",
    "You won't regret it.",
    "Trust me on this one.",
    "It's better than you think.",
    "You're going to love it.",
    "Every detail is worth a look.",
]

KEY_PHRASES: dict[str, list[str]] = {
    "hook": ["{kw}"],
    "intro": ["{name}", "{kw}"],
    "why": ["Why it works", "Here's why"],
    "detail": ["{product}", "The details"],
    "place": ["{place}", "The vibe"],
    "audience": ["For {audience}", "Made for you"],
    "tip": ["Pro tip"],
    "moment": ["Little joys"],
    "cta": ["{name}", "Save & follow"],
}

CAPTIONS = [
    "{Kw} in {seconds} seconds.",
    "Everything you need to know about {kw}.",
    "A quick look at {name}.",
]

CAPTION_CALLS = [
    "📍 {name}, {place}",
    "📍 {name}",
    "📍 {place}",
]

HASHTAGS = ["#reels", "#shorts", "#fyp", "#explore", "#tips", "#discover", "#trending", "#mustsee"]
STYLE_HASHTAGS = {"food": ["#food", "#foodie", "#eats"], "calm": ["#relax"], "vivid": ["#vibes"]}
BUSINESS_HASHTAGS = ["#smallbusiness", "#shoplocal"]
