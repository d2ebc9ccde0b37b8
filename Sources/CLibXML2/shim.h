#include <libxml/xmlversion.h>
/* A libxml2 built with ICU makes encoding.h include the system's ICU headers, whose
   UErrorCode then clashes with the ICU that Foundation bundles, in any Swift file that
   imports both (which one the compiler meets first decides whether the build fails).
   ICU only adds fields at the end of xmlCharEncodingHandler, a struct this project never
   dereferences (it passes handler pointers, always NULL), so ICU is hidden here. */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/c14n.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlsave.h>

/* xmlFree is a global function-pointer variable, which Swift 6 treats as shared mutable
   state; this wrapper lets Swift call it without touching the variable. */
static inline void ih_xmlFree(void *pointer) { xmlFree(pointer); }
