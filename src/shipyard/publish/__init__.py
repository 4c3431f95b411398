"""`shipyard publish`: upload distributions through the legacy upload API, as twine does.

`repositories` says where (built-in names, ~/.pypirc, a URL), `credentials` with what
(options, environment, .pypirc, keyring), `form` what is sent (twine's multipart form),
`upload` how (HTTP with retries and the server's answers), `run` in which order.
"""

from shipyard.publish.run import Outcome, publish

__all__ = ["Outcome", "publish"]
