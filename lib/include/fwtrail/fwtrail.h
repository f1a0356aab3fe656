/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/fwtrail.h - umbrella header for libfwtrail. */
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

#endif
