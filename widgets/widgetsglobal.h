#pragma once

namespace cr::widgets {
} // namespace cr::widgets
