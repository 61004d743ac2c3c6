package io.pgmetrics.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot service with a PostgreSQL DataSource and Actuator's Prometheus endpoint. It has no pgmetrics code:
 * the pgmetrics-spring-boot-starter dependency puts the database's metrics on /actuator/prometheus, next to the
 * service's own, and adds a pgmetrics health component.
 *
 * <pre>SHOP_DATABASE_URL='jdbc:postgresql://localhost:5432/shop?user=..&amp;password=..' \
 *         java -jar shop-service.jar</pre>
 */
@SpringBootApplication
public class ShopServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopServiceApplication.class, args);
    }
}
