from tests.places.fake_place_search import kakao_server

__all__ = ["kakao_server"]
