/* Stand-in for Windows' icuuc.dll, which Wine 8 lacks: Qt6Core imports these ICU converter
   functions but falls back to its own codecs when ucnv_open fails (U_FILE_ACCESS_ERROR). */
typedef int UErrorCode;
__declspec(dllexport) void *ucnv_open(const char *n, UErrorCode *e) { if (e) *e = 4; return 0; }
__declspec(dllexport) const char *ucnv_getName(const void *c, UErrorCode *e) { if (e) *e = 4; return 0; }
__declspec(dllexport) const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) { if (e) *e = 4; return 0; }
#define STUB(f) __declspec(dllexport) long long f(void) { return 0; }
STUB(ucnv_close) STUB(UCNV_FROM_U_CALLBACK_SUBSTITUTE) STUB(UCNV_TO_U_CALLBACK_SUBSTITUTE)
STUB(ucnv_reset) STUB(ucnv_getMaxCharSize) STUB(ucnv_getToUCallBack) STUB(ucnv_getFromUCallBack)
STUB(ucnv_setToUCallBack) STUB(ucnv_setFromUCallBack) STUB(ucnv_cbToUWriteUChars)
STUB(ucnv_toUnicode) STUB(ucnv_cbFromUWriteUChars) STUB(ucnv_toUCountPending)
STUB(ucnv_fromUCountPending) STUB(ucnv_getAvailableName) STUB(ucnv_countAvailable)
STUB(ucnv_fromUnicode)
