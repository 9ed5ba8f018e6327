"""GetRandomPassword options."""
import string
import unittest

from botocore.exceptions import ClientError, ParamValidationError

from harness import ServerTestCase

PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


class RandomPassword(ServerTestCase):
    def pw(self, **kwargs):
        return self.sm.get_random_password(**kwargs)["RandomPassword"]

    def test_Default_Is32CharsOfLettersDigitsPunctuation_WithEachClass(self):
        for _ in range(5):
            p = self.pw()
            self.assertEqual(len(p), 32)
            allowed = set(string.ascii_letters + string.digits + PUNCTUATION)
            self.assertLessEqual(set(p), allowed)
            self.assertTrue(any(c in string.ascii_lowercase for c in p))
            self.assertTrue(any(c in string.ascii_uppercase for c in p))
            self.assertTrue(any(c in string.digits for c in p))
            self.assertTrue(any(c in PUNCTUATION for c in p))
            self.assertNotIn(" ", p)

    def test_Passwords_Differ(self):
        self.assertEqual(len({self.pw() for _ in range(10)}), 10)

    def test_Length_Bounds(self):
        self.assertEqual(len(self.pw(PasswordLength=1, RequireEachIncludedType=False)), 1)
        self.assertEqual(len(self.pw(PasswordLength=4096)), 4096)
        with self.assertRaises((ClientError, ParamValidationError)):
            self.pw(PasswordLength=0)
        self.assertError(self.sm.get_random_password, "ValidationException", PasswordLength=4097)

    def test_ExcludeClasses(self):
        p = self.pw(PasswordLength=200, ExcludeNumbers=True, ExcludePunctuation=True,
                    ExcludeUppercase=True)
        self.assertTrue(set(p) <= set(string.ascii_lowercase), p)
        p = self.pw(PasswordLength=200, ExcludeLowercase=True, ExcludeUppercase=True,
                    ExcludePunctuation=True)
        self.assertTrue(set(p) <= set(string.digits), p)

    def test_ExcludeCharacters(self):
        p = self.pw(PasswordLength=500, ExcludeCharacters="abcABC012!@#")
        self.assertFalse(set(p) & set("abcABC012!@#"), p)

    def test_IncludeSpace(self):
        p = self.pw(PasswordLength=300, IncludeSpace=True, ExcludePunctuation=True)
        self.assertIn(" ", p)  # RequireEachIncludedType covers the space too
        p = self.pw(PasswordLength=300, IncludeSpace=False)
        self.assertNotIn(" ", p)

    def test_RequireEachIncludedType_EvenForShortPasswords(self):
        for _ in range(20):
            p = self.pw(PasswordLength=4)
            self.assertTrue(any(c in string.ascii_lowercase for c in p), p)
            self.assertTrue(any(c in string.ascii_uppercase for c in p), p)
            self.assertTrue(any(c in string.digits for c in p), p)
            self.assertTrue(any(c in PUNCTUATION for c in p), p)

    def test_TooShortForEachType_IsError(self):
        with self.assertRaises(ClientError) as cm:
            self.pw(PasswordLength=3, RequireEachIncludedType=True)
        self.assertIn(cm.exception.response["Error"]["Code"],
                      ("InvalidParameterException", "ValidationException"))

    def test_EverythingExcluded_IsError(self):
        with self.assertRaises(ClientError) as cm:
            self.pw(ExcludeNumbers=True, ExcludePunctuation=True, ExcludeUppercase=True,
                    ExcludeLowercase=True)
        self.assertIn(cm.exception.response["Error"]["Code"],
                      ("InvalidParameterException", "ValidationException"))


if __name__ == "__main__":
    unittest.main()
