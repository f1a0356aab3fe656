/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/fwtrail.h - umbrella header for libfwtrail.
 *
 * Options structs carry a version (set by their FWT_X_OPTIONS_INIT).  A
 * struct newer than the library a program runs with is refused with
 * FWT_EINVAL rather than read in part: its new members may be checks the
 * caller counts on. */
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
