# Django's Arabic formats have a date ("4 ديسمبر، 2026") but no date-time, so a
# date-time fell back to the English pattern and read "ديسمبر 4, 2026, 11:26 م".
# The date-time is the Arabic date followed by the Arabic time, with the Arabic comma.
DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"
