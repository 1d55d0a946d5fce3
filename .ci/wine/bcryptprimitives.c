/* Stand-in for bcryptprimitives.dll!ProcessPrng, which Wine 8 lacks: Rust >= 1.78 programs
   (python-calamine) import it for random numbers; forward to BCryptGenRandom. */
#include <windows.h>
#include <bcrypt.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE p, SIZE_T n) {
    for (; n; ) { ULONG c = n > 0x40000000 ? 0x40000000 : (ULONG)n;
        if (BCryptGenRandom(NULL, p, c, BCRYPT_USE_SYSTEM_PREFERRED_RNG)) return FALSE;
        p += c; n -= c; }
    return TRUE;
}
