from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from baozheng.tasks.creditcode import (
    ALPHABET,
    WEIGHTS,
    check_character,
    credit_code_error,
    normalise,
    validate_credit_code,
)

# Published codes of well-known companies (on their business licences), and codes whose
# check character was computed by hand from the GB 32100-2015 formula for these tests.
REAL_CODES = [
    "914403001922038216",
    "9144030071526726XG",
    "91330100716105852F",
    "91110000802100433B",
]
COMPUTED_CODES = ["12411300005880006P", "92411302MA9GB5P9XB"]


class CreditCodeTests(SimpleTestCase):
    def test_the_weights_are_powers_of_three_modulo_31(self):
        self.assertEqual(WEIGHTS, (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28))

    def test_the_alphabet_leaves_out_i_o_s_v_z(self):
        self.assertEqual(len(ALPHABET), 31)
        self.assertFalse(set("IOSVZ") & set(ALPHABET))

    def test_real_codes_are_accepted(self):
        for code in REAL_CODES + COMPUTED_CODES:
            with self.subTest(code=code):
                self.assertIsNone(credit_code_error(code))

    def test_a_hand_computed_check_character_matches(self):
        # Σ value×weight for 12411300005880006 is 1·1+2·3+4·9+1·27+1·19+3·26+0+0+0+0+5·25+8·13+8·8+0+0+0+6·28
        # = 628; 628 mod 31 = 8; 31 − 8 = 23 → ALPHABET[23] = "P".
        self.assertEqual(check_character("12411300005880006"), "P")

    def test_a_check_result_of_31_becomes_zero(self):
        found = next(
            f"9141130000000{n:04d}"
            for n in range(10000)
            if sum(
                ALPHABET.index(c) * w for c, w in zip(f"9141130000000{n:04d}", WEIGHTS, strict=True)
            )
            % 31
            == 0
        )
        self.assertEqual(check_character(found), "0")

    def test_a_wrong_check_character_is_refused_with_a_clear_message(self):
        self.assertEqual(
            credit_code_error("914403001922038217"),
            "统一社会信用代码校验位不正确，请对照营业执照逐位核对",
        )

    def test_a_short_code_says_how_many_characters_it_has(self):
        self.assertEqual(
            credit_code_error("91411300MA44"), "统一社会信用代码应为 18 位，您填写了 12 位"
        )

    def test_a_forbidden_letter_names_its_position(self):
        self.assertIn("第 9 位“O”", credit_code_error("91411300O0000000X0"))

    def test_the_division_code_must_be_digits(self):
        self.assertIn("行政区划代码", credit_code_error("9141A300MA44XXXXX3"))

    def test_lower_case_and_spaces_are_forgiven(self):
        self.assertEqual(normalise(" 9144030071526726xg "), "9144030071526726XG")
        self.assertIsNone(credit_code_error(" 9144030071526726xg "))

    def test_the_validator_raises_a_validation_error(self):
        with self.assertRaises(ValidationError):
            validate_credit_code("914403001922038217")

    @given(
        st.text(alphabet=ALPHABET, min_size=17, max_size=17).map(lambda s: s[:2] + "411300" + s[8:])
    )
    def test_every_single_character_change_is_caught(self, body):
        code = body + check_character(body)
        self.assertIsNone(credit_code_error(code))
        for position in (0, 9, 16, 17):
            replacement = ALPHABET[(ALPHABET.index(code[position]) + 1) % 31]
            changed = code[:position] + replacement + code[position + 1 :]
            self.assertIsNotNone(credit_code_error(changed))
