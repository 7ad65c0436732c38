#include "widgets/widgetsglobal.h"
