/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/fwtrail.h - umbrella header for libfwtrail.
 *
 * Options structs carry a version, set by their FWT_X_OPTIONS_INIT.  One
 * rule holds for every one of them:
 *  - version 0, a zeroed struct, reads as the current version;
 *  - versions 1 to the current one are accepted; a struct of an older
 *    version is read only up to the members that version had (later members
 *    are not read, as the caller's struct is smaller, and take their
 *    defaults);
 *  - a version newer than the library a program runs with is refused with
 *    FWT_EINVAL ("... options version N is newer than this library's (M)")
 *    rather than read in part: its new members may be checks the caller
 *    counts on.
 * Each struct's version member says what an older version lacks.  (A
 * context made with fwt_ctx_new has no message yet: it returns the code
 * alone.) */
#ifndef FWTRAIL_FWTRAIL_H
#define FWTRAIL_FWTRAIL_H

#include <fwtrail/err.h>
#include <fwtrail/ctx.h>
#include <fwtrail/io.h>
#include <fwtrail/hex.h>
#include <fwtrail/digest.h>
#include <fwtrail/archive.h>
#include <fwtrail/sig.h>
#include <fwtrail/key.h>
#include <fwtrail/p11.h>
#include <fwtrail/sigfile.h>
#include <fwtrail/trust.h>
#include <fwtrail/json.h>
#include <fwtrail/cvss.h>
#include <fwtrail/jws.h>
#include <fwtrail/sfr.h>
#include <fwtrail/swid.h>
#include <fwtrail/eventlog.h>
#include <fwtrail/spdm.h>
#include <fwtrail/cbor.h>
#include <fwtrail/cose.h>
#include <fwtrail/corim.h>
#include <fwtrail/policy.h>
#include <fwtrail/auditlog.h>
#include <fwtrail/appraise.h>
#include <fwtrail/quote.h>

#endif
