package io.pgmetrics.examples.springboot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The service's own work and its own meter: orders placed. */
@RestController
public class OrderController {

    private final JdbcTemplate jdbc;
    private final Counter ordersPlaced;

    public OrderController(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.ordersPlaced = registry.counter("shop.orders.placed");
    }

    @PostMapping("/orders")
    public Map<String, Object> place(@RequestParam String customer, @RequestParam BigDecimal amount) {
        Long id = jdbc.queryForObject(
                "INSERT INTO orders (customer, amount) VALUES (?, ?) RETURNING id", Long.class, customer, amount);
        ordersPlaced.increment();
        return Map.of("id", id);
    }

    @GetMapping("/orders/count")
    public Map<String, Object> count() {
        return Map.of("orders", jdbc.queryForObject("SELECT count(*) FROM orders", Long.class));
    }
}
