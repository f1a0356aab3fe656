/* SPDX-License-Identifier: Apache-2.0 */
/* banned.h - functions that must not be used in libfwtrail (git's idea):
 * unbounded copies and non-reentrant time and token functions.  Including
 * this after the system headers turns a use into a compile error. */
#ifndef FWT_BANNED_H
#define FWT_BANNED_H

#define FWT_BANNED(func) sorry_##func##_is_banned_in_fwtrail

#undef strcpy
#define strcpy(x, y) FWT_BANNED(strcpy)
#undef strcat
#define strcat(x, y) FWT_BANNED(strcat)
#undef sprintf
#define sprintf(...) FWT_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) FWT_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) FWT_BANNED(strtok)
#undef gmtime
#define gmtime(t) FWT_BANNED(gmtime)
#undef localtime
#define localtime(t) FWT_BANNED(localtime)
#undef ctime
#define ctime(t) FWT_BANNED(ctime)
#undef asctime
#define asctime(t) FWT_BANNED(asctime)
#undef gets
#define gets(x) FWT_BANNED(gets)
#undef getenv
#define getenv(x) FWT_BANNED(getenv)
#undef exit
#define exit(x) FWT_BANNED(exit)
#undef printf
#define printf(...) FWT_BANNED(printf)
#undef puts
#define puts(x) FWT_BANNED(puts)

#endif
