import Testing
@testable import CSVIO
