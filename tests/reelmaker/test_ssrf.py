import pytest

from reelmaker.ssrf import UnsafeUrl, resolve_public


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "http:///nohost",
    ],
)
def test_private_and_odd_urls_are_refused(url):
    with pytest.raises(UnsafeUrl) as refused:
        resolve_public(url)

    assert refused.value.code == "INVALID_REQUEST"


def test_public_address_is_accepted():
    assert resolve_public("http://93.184.216.34/hook") == ["93.184.216.34"]


def test_private_address_is_accepted_when_allowed():
    assert resolve_public("http://127.0.0.1:9/hook", allow_private=True) == ["127.0.0.1"]
