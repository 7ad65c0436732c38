#include "resources/resources.h"

#include <QtGlobal>

static void initCrisisResources()
{
    Q_INIT_RESOURCE(crisis_resources);
}

namespace cr::resources {

void ensureLoaded()
{
    static const bool done = [] {
        initCrisisResources();
        return true;
    }();
    Q_UNUSED(done);
}

} // namespace cr::resources
