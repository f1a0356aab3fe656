/* SPDX-License-Identifier: Apache-2.0 */
/* lazy_p11kit.h - p11-kit, loaded on first use. */
#ifndef FWT_LAZY_P11KIT_H
#define FWT_LAZY_P11KIT_H

#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>
#include <fwtrail/ctx.h>

/* What lib/ uses of p11-kit, as pointers that fwt__lazy_p11kit_load()
 * fills.  p11-kit (and libffi under it) is not linked, so that commands
 * that never open a token do not pay for loading it: a call added in lib/
 * without its line here fails to link.  Include this header after
 * p11-kit's own. */
#define FWT_LAZY_P11KIT_FUNCS(X) \
	X(p11_kit_be_quiet) \
	X(p11_kit_message) \
	X(p11_kit_module_finalize) \
	X(p11_kit_module_get_name) \
	X(p11_kit_module_initialize) \
	X(p11_kit_module_load) \
	X(p11_kit_module_release) \
	X(p11_kit_modules_load) \
	X(p11_kit_modules_release) \
	X(p11_kit_uri_any_unrecognized) \
	X(p11_kit_uri_format) \
	X(p11_kit_uri_free) \
	X(p11_kit_uri_get_attribute) \
	X(p11_kit_uri_get_attributes) \
	X(p11_kit_uri_get_module_info) \
	X(p11_kit_uri_get_module_name) \
	X(p11_kit_uri_get_module_path) \
	X(p11_kit_uri_get_pin_source) \
	X(p11_kit_uri_get_pin_value) \
	X(p11_kit_uri_get_slot_id) \
	X(p11_kit_uri_get_slot_info) \
	X(p11_kit_uri_get_token_info) \
	X(p11_kit_uri_match_module_info) \
	X(p11_kit_uri_match_slot_info) \
	X(p11_kit_uri_match_token_info) \
	X(p11_kit_uri_message) \
	X(p11_kit_uri_new) \
	X(p11_kit_uri_parse) \
	X(p11_kit_uri_set_attribute) \
	X(p11_kit_uri_set_attributes) \
	X(p11_kit_uri_set_module_name) \
	X(p11_kit_uri_set_module_path) \
	X(p11_kit_uri_set_slot_id)

#define FWT__LAZY_PTR(f) __typeof__(&f) f;
extern struct fwt_lazy_p11kit {
	FWT_LAZY_P11KIT_FUNCS(FWT__LAZY_PTR)
} fwt_lazy_p11kit;
#undef FWT__LAZY_PTR

/* Load p11-kit once and fill the pointers: FWT_OK, or FWT_EUNSUPPORTED
 * naming what is missing. */
fwt_err fwt__lazy_p11kit_load(fwt_ctx *ctx);

#ifndef FWT_LAZY_NO_REDIRECT
#define p11_kit_be_quiet (fwt_lazy_p11kit.p11_kit_be_quiet)
#define p11_kit_message (fwt_lazy_p11kit.p11_kit_message)
#define p11_kit_module_finalize (fwt_lazy_p11kit.p11_kit_module_finalize)
#define p11_kit_module_get_name (fwt_lazy_p11kit.p11_kit_module_get_name)
#define p11_kit_module_initialize (fwt_lazy_p11kit.p11_kit_module_initialize)
#define p11_kit_module_load (fwt_lazy_p11kit.p11_kit_module_load)
#define p11_kit_module_release (fwt_lazy_p11kit.p11_kit_module_release)
#define p11_kit_modules_load (fwt_lazy_p11kit.p11_kit_modules_load)
#define p11_kit_modules_release (fwt_lazy_p11kit.p11_kit_modules_release)
#define p11_kit_uri_any_unrecognized (fwt_lazy_p11kit.p11_kit_uri_any_unrecognized)
#define p11_kit_uri_format (fwt_lazy_p11kit.p11_kit_uri_format)
#define p11_kit_uri_free (fwt_lazy_p11kit.p11_kit_uri_free)
#define p11_kit_uri_get_attribute (fwt_lazy_p11kit.p11_kit_uri_get_attribute)
#define p11_kit_uri_get_attributes (fwt_lazy_p11kit.p11_kit_uri_get_attributes)
#define p11_kit_uri_get_module_info (fwt_lazy_p11kit.p11_kit_uri_get_module_info)
#define p11_kit_uri_get_module_name (fwt_lazy_p11kit.p11_kit_uri_get_module_name)
#define p11_kit_uri_get_module_path (fwt_lazy_p11kit.p11_kit_uri_get_module_path)
#define p11_kit_uri_get_pin_source (fwt_lazy_p11kit.p11_kit_uri_get_pin_source)
#define p11_kit_uri_get_pin_value (fwt_lazy_p11kit.p11_kit_uri_get_pin_value)
#define p11_kit_uri_get_slot_id (fwt_lazy_p11kit.p11_kit_uri_get_slot_id)
#define p11_kit_uri_get_slot_info (fwt_lazy_p11kit.p11_kit_uri_get_slot_info)
#define p11_kit_uri_get_token_info (fwt_lazy_p11kit.p11_kit_uri_get_token_info)
#define p11_kit_uri_match_module_info (fwt_lazy_p11kit.p11_kit_uri_match_module_info)
#define p11_kit_uri_match_slot_info (fwt_lazy_p11kit.p11_kit_uri_match_slot_info)
#define p11_kit_uri_match_token_info (fwt_lazy_p11kit.p11_kit_uri_match_token_info)
#define p11_kit_uri_message (fwt_lazy_p11kit.p11_kit_uri_message)
#define p11_kit_uri_new (fwt_lazy_p11kit.p11_kit_uri_new)
#define p11_kit_uri_parse (fwt_lazy_p11kit.p11_kit_uri_parse)
#define p11_kit_uri_set_attribute (fwt_lazy_p11kit.p11_kit_uri_set_attribute)
#define p11_kit_uri_set_attributes (fwt_lazy_p11kit.p11_kit_uri_set_attributes)
#define p11_kit_uri_set_module_name (fwt_lazy_p11kit.p11_kit_uri_set_module_name)
#define p11_kit_uri_set_module_path (fwt_lazy_p11kit.p11_kit_uri_set_module_path)
#define p11_kit_uri_set_slot_id (fwt_lazy_p11kit.p11_kit_uri_set_slot_id)
#endif

#endif
